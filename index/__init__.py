"""The data layer of thaad-tui. The folders are the parts, in the order an article meets them:

- ``ingest``: corpus files to clean Article records.
- ``analysis``: entities, dated events, quotes and copies read out of each text.
- ``build``: the pipeline that runs ingest and analysis in worker processes and writes the rest.
- ``store``: the store seam and the SQLite catalogue, opening and reading an index, the user's
  corrections file.
- ``search``: the query language, the full-text index, typo-tolerant search, snippets.
- ``compare``: similar articles, side by side, coverage by outlet.
- ``notes``: bookmarks in the user's Markdown notes file.

``library`` is the one entry point the CLI and the app use; ``models`` holds the shared record
types; ``paths`` the run's settings (every location and option).

Nothing in this package imports Textual or ``tui``: the CLI, the app and the tests all
call these functions directly.
"""

__version__ = "0.1.0"
