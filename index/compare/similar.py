"""Articles like an article: its copies (found at index time, :mod:`index.analysis.copies`) and the
ones merely on the same subject (the search backend's "more like this" on the body's key terms, at
query time: about 10-30 ms with Whoosh, measured by ``benchmarks/bench_copies.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from index.analysis import copies

if TYPE_CHECKING:
    from index.library import Library


@dataclass(frozen=True, slots=True)
class Similar:
    """An article like another: ``copy`` says it is a copy of the same story, ``score`` is the
    containment of the copy (0-1) or the backend's more-like-this score (unbounded) otherwise."""

    id: str
    score: float
    copy: bool
    jaccard: float | None = None


def similar(library: Library, article_id: str, limit: int = 10) -> list[Similar]:
    """The copies of an article (all of them, best first), then up to ``limit`` articles on
    the same subject that are not copies."""
    pairs = copies.pairs_of(library.catalogue.connection(), article_id)
    found = [Similar(p.b, p.containment, True, p.jaccard) for p in pairs]
    article = library.article(article_id)
    if article is None:
        return found
    seen = {article_id, *(s.id for s in found)}
    text = "\n".join((article.title, *article.paragraphs))
    for other, score in library.fulltext.more_like(article_id, text, limit + len(seen)):
        if other not in seen and len(found) - len(pairs) < limit:
            seen.add(other)
            found.append(Similar(other, round(score, 3), False))
    return found


def copy_groups(library: Library) -> dict[str, tuple[str, ...]]:
    """Each article that has copies -> its whole group (itself included, sorted)."""
    groups = copies.groups(copies.all_pairs(library.catalogue.connection()))
    return {aid: tuple(group) for group in groups for aid in group}
