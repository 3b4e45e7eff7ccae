"""The data layer of thaad-tui: ingest, analysis, the Whoosh index, search and notes.

Nothing in this package imports Textual or ``tui``: the CLI, the app and the tests all
call these functions directly.
"""

__version__ = "0.1.0"
