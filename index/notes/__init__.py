"""Notes: bookmarks in a Markdown file the user owns, written so that nothing is ever lost."""
