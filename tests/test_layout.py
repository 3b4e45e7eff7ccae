"""The package as installed: every folder of code is a package that setuptools ships."""

from __future__ import annotations

from pathlib import Path

from setuptools import find_packages

ROOT = Path(__file__).resolve().parent.parent


def test_every_code_folder_is_a_shipped_package() -> None:
    """A folder without __init__.py works from the checkout (a namespace package) but is left
    out of a wheel: index/build/ was, its __init__.py hidden by a `build/` ignore rule."""
    shipped = set(find_packages(str(ROOT), include=["tui*", "index*", "corpus*"]))
    for top in ("index", "tui", "corpus"):
        for folder in [ROOT / top, *(p for p in (ROOT / top).rglob("*") if p.is_dir())]:
            if any(folder.glob("*.py")):
                name = ".".join(folder.relative_to(ROOT).parts)
                assert name in shipped, f"{name} has no __init__.py: it would not be installed"
