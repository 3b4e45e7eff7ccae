"""Search: the query language, the full-text index and typo-tolerant search.

Queries are parsed and checked here (:mod:`.query`, :mod:`.datequery`); :mod:`.fulltext` is the
Whoosh index; :mod:`.fuzzy` and :mod:`.fuzzysearch` answer the search box as the user types; hits
are cut into snippets and highlights by :mod:`.highlight`.
"""
