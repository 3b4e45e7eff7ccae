"""The search-backend contract: every backend listed in :data:`BACKENDS` must pass the tests in
this folder. A backend is made by :func:`make_backend` in an empty place, filled with the
fixture corpus (tests/fixtures/contract/articles.yaml) and searched through the
:class:`index.search.backend.SearchBackend` protocol only.

Adding a backend: add its name to :data:`BACKENDS` and a branch to :func:`make_backend` (a
PostgreSQL backend would start its server in a session fixture and give each test a fresh
database).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import yaml

from index.analysis.quotes import Quote
from index.models import Article, Mention
from index.search.backend import SearchBackend
from index.store.catalogue import Analysed

BACKENDS = ["whoosh", "postgresql"]
FIXTURE = Path(__file__).parent.parent / "fixtures" / "contract" / "articles.yaml"


def make_backend(name: str, place: Path | str) -> SearchBackend:
    """A new, empty backend of kind ``name`` that keeps its data under ``place`` (a folder,
    or for PostgreSQL the URL of an empty database)."""
    if name == "whoosh":
        from index.search.whoosh import WhooshBackend

        return WhooshBackend(Path(place) / "whoosh")
    if name == "postgresql":
        from index.search.postgres import open_fulltext

        return open_fulltext(str(place))
    raise ValueError(f"no such backend in the contract tests: {name}")


def place_for(request: pytest.FixtureRequest, name: str, tmp_path: Path) -> Path | str:
    """Where a test's new ``name`` backend keeps its data: ``tmp_path``, or for PostgreSQL a
    fresh database of the session's throwaway server (tests/pgserver.py)."""
    if name == "postgresql":
        return str(request.getfixturevalue("postgresql_url"))
    return tmp_path


def fixture_articles() -> list[Analysed]:
    """The contract corpus as analysed articles (mentions and quotes as the fixture lists)."""
    out = []
    for raw in yaml.safe_load(FIXTURE.read_text(encoding="utf-8")):
        published = raw["published"]
        article = Article(
            id=raw["id"],
            title=raw["title"],
            paragraphs=tuple(raw["paragraphs"]),
            outlet=raw["outlet"],
            author=raw["author"],
            published=published if isinstance(published, date) else None,
        )
        mentions = tuple(Mention(0, 0, e["type"], e["name"]) for e in raw["entities"])
        quotes = tuple(
            Quote(article.id, 1, 0, 0, "", "reported", who, True, "said", "")
            for who in raw["speakers"]
        )
        out.append(Analysed("contract", article, mentions, (), quotes))
    return out


@pytest.fixture(params=BACKENDS)
def empty_backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SearchBackend]:
    """A backend with nothing in it yet (PostgreSQL: on a fresh database of the session's
    throwaway server, tests/pgserver.py)."""
    backend = make_backend(request.param, place_for(request, request.param, tmp_path))
    backend.open()
    yield backend
    backend.close()


@pytest.fixture
def backend(empty_backend: SearchBackend) -> SearchBackend:
    """A backend holding the contract corpus."""
    empty_backend.write_batch([], fixture_articles())
    return empty_backend
