"""Compare: how outlets told the same story, read from the store and the search index.

Articles like an article (:mod:`.similar`), two articles side by side (:mod:`.textdiff`) and what
each outlet said of a search or an entity (:mod:`.coverage`).
"""
