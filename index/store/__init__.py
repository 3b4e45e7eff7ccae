"""Store: the article catalogue and the files the user owns beside it.

:mod:`.base` says what a store answers (the :class:`~.base.Store` protocol and the records it
is given); :mod:`.catalogue` is the SQLite store (articles, paragraphs, entities, mentions,
events, quotes and copies); :mod:`.opening` opens an index folder, chooses its store from the
settings and recovers a damaged one; :mod:`.reading` and :mod:`.caches` are the library's reads
and what it keeps in memory. Entity corrections (:mod:`.corrections`) are a YAML file the user
edits; user files are replaced atomically (:mod:`.atomic`).
"""
