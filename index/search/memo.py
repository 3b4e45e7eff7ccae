"""A small bounded memo of per-keystroke results, valid while their source is the same object.

Typing repeats work: the next keystroke lists mostly the same articles, with the same matched
words, so their title highlights and snippets come out the same. A :class:`Memo` keeps the
last results, forgotten as a whole when the source they were computed from (the library's
article list, replaced after any change to the articles) is another object.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class Memo(Generic[V]):
    """At most ``size`` results by key, least recently used dropped first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._source: object | None = None
        self._items: OrderedDict[Hashable, V] = OrderedDict()

    def get(self, source: object | None, key: Hashable, make: Callable[[], V]) -> V:
        """The result for ``key`` made from ``source`` (made by ``make`` if not kept; never
        kept when ``source`` is None)."""
        if source is None:
            return make()
        with self._lock:
            if self._source is not source:
                self._items.clear()
                self._source = source
            elif key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()
        with self._lock:
            if self._source is source:
                self._items[key] = value
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
        return value
