"""Back and forward through the places visited in one run, as a web browser does."""

from __future__ import annotations

from dataclasses import dataclass

LIMIT = 200  # places kept behind the current one


@dataclass(frozen=True)
class Place:
    """An article opened (with the query and filters it was found with) or a search run."""

    article: str | None = None
    paragraph: int | None = None
    query: str = ""
    entity: str | None = None
    period: str | None = None


class History:
    """Places in the order visited; going somewhere new drops the places ahead."""

    def __init__(self) -> None:
        self.places: list[Place] = []
        self.position = -1

    @property
    def current(self) -> Place | None:
        """The place the user is at, or None before the first visit."""
        return self.places[self.position] if self.position >= 0 else None

    def visit(self, place: Place) -> None:
        """Record a new place (nothing when it is where the user already is)."""
        current = self.current
        if current is not None and _same(current, place):
            # the same article at another paragraph: remember the newer paragraph
            self.places[self.position] = place
            return
        del self.places[self.position + 1 :]
        self.places.append(place)
        del self.places[:-LIMIT]
        self.position = len(self.places) - 1

    def back(self) -> Place | None:
        """The previous place, or None at the start."""
        if self.position <= 0:
            return None
        self.position -= 1
        return self.places[self.position]

    def forward(self) -> Place | None:
        """The next place after going back, or None at the end."""
        if self.position >= len(self.places) - 1:
            return None
        self.position += 1
        return self.places[self.position]

    def clear(self) -> None:
        """Forget every place (a fresh session)."""
        self.places.clear()
        self.position = -1


def _same(a: Place, b: Place) -> bool:
    return (a.article, a.query, a.entity, a.period) == (b.article, b.query, b.entity, b.period)
