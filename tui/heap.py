"""Keep Python's cycle collector off the objects the app holds for as long as it runs.

At 19,043 articles the app tracks about 330,000 objects: the modules it imported, the article
list's rows, Whoosh's readers, the widgets. Each full pass of the collector walks all of them,
150-850 ms on the UI thread (a Pilot run of 20 ``j`` presses saw three such passes; the
key-to-screen benchmark saw stalls of up to 596 ms). Objects alive once start-up is done, and
again once the article list is read, are frozen (:func:`gc.freeze`): the full passes then walk
only what was made since, and the frozen objects are freed by their reference counts as
before. Objects in reference cycles that were alive at a freeze wait for :func:`release`.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_bulk = threading.Lock()
_reading = 0  # bulk reads under way (in any thread)


def keep_long_lived() -> None:
    """Take every object alive now out of the collector's passes."""
    gc.freeze()


def release() -> None:
    """Give the frozen objects back to the collector (the app is ending; a test process runs
    many apps one after the other)."""
    gc.unfreeze()


@contextmanager
def bulk_read() -> Iterator[None]:
    """Around a worker's read of many objects that stay (100,000 articles' rows, their layouts,
    the events): no collector pass while it runs, and what it made is frozen after.

    A full pass walks every object not frozen yet, holding the GIL: the UI thread waited for
    each, 100-400 ms apiece at 100,000 articles, several during the start. Objects are freed by
    their reference counts meanwhile as always; the collector comes back when the last bulk
    read under way ends."""
    global _reading
    with _bulk:
        _reading += 1
        gc.disable()
    try:
        yield
    finally:
        with _bulk:
            _reading -= 1
            if not _reading:
                gc.freeze()
                gc.enable()
