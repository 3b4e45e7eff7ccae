"""Store: the article catalogue (SQLite) and the files the user owns beside it.

The catalogue (:mod:`.catalogue`) keeps articles, paragraphs, entities, mentions, events, quotes and
copies; entity corrections (:mod:`.corrections`) are a YAML file the user edits; user files are
replaced atomically (:mod:`.atomic`).
"""
