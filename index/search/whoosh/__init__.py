"""The embedded search backend: Whoosh behind :class:`index.search.backend.SearchBackend`.

Nothing outside this package imports ``whoosh`` (an import-linter contract in pyproject.toml
enforces it). :mod:`.analysis` is the analyzer (stemming, folding, CJK bigrams), :mod:`.schema`
the fields, :mod:`.compile` turns a :mod:`index.search.querytree` into Whoosh queries (with
``word~``/``word*`` expanded over a cached vocabulary, :mod:`.wordunion`), and :mod:`.backend`
holds the index on disk: opening with recovery, batched writes, search, more like this.
"""

from index.search.whoosh.backend import WhooshBackend

__all__ = ["WhooshBackend"]
