"""The default corpus shipped with thaad-tui: five seed articles and their metadata.

This package is data. Parsing lives in ``index.ingest.corpus``.
"""

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def default_corpus_dir() -> Path:
    """The folder holding the shipped seed articles."""
    return _HERE / "articles"


def gazetteer_path() -> Path:
    """The YAML gazetteer of known entities (names, types, aliases)."""
    return _HERE / "gazetteer.yaml"
