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

BACKENDS = ["whoosh"]
FIXTURE = Path(__file__).parent.parent / "fixtures" / "contract" / "articles.yaml"


def make_backend(name: str, place: Path) -> SearchBackend:
    """A new, empty backend of kind ``name`` that keeps its data under ``place``."""
    if name == "whoosh":
        from index.search.whoosh import WhooshBackend

        return WhooshBackend(place / "whoosh")
    raise ValueError(f"no such backend in the contract tests: {name}")


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
    """A backend with nothing in it yet."""
    backend = make_backend(request.param, tmp_path)
    backend.open()
    yield backend
    backend.close()


@pytest.fixture
def backend(empty_backend: SearchBackend) -> SearchBackend:
    """A backend holding the contract corpus."""
    empty_backend.write_batch([], fixture_articles())
    return empty_backend
