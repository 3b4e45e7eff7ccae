"""What a search backend indexes of an article, field by field (the schema's fields): one
definition, so that the Whoosh index and the PostgreSQL one hold the same words."""

from __future__ import annotations

from datetime import datetime

from index.search.analyzer import joined_field
from index.store.catalogue import Analysed


def document(item: Analysed) -> dict[str, object]:
    """The fields every search backend indexes for an analysed article: the text fields
    (title, body, outlet, author), the names (comma-separated; ``joined`` space-separated)
    and the publication date."""
    a = item.article
    by_type: dict[str, set[str]] = {"person": set(), "organisation": set(), "place": set()}
    names = set()
    for m in item.mentions:
        names.add(m.name)
        if m.type in by_type:
            by_type[m.type].add(m.name)
    doc: dict[str, object] = {
        "id": a.id,
        "title": a.title,
        "body": "\n".join((a.standfirst or "", *a.paragraphs)),
        "outlet": a.outlet or "",
        "author": a.author or "",
        "entity": ",".join(sorted(names)),
        "joined": item.joined
        if item.joined is not None
        else joined_field(a.title, a.standfirst, a.paragraphs),
        **{field: ",".join(sorted(values)) for field, values in by_type.items()},
        "speaker": ",".join(sorted({q.speaker.replace(",", " ") for q in item.quotes} - {""})),
    }
    if a.published:
        doc["published"] = datetime(a.published.year, a.published.month, a.published.day)
    return doc
