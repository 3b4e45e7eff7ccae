"""Ingest: corpus files (text, Markdown with front matter, HTML, JSON Lines) to clean Article
records.

Reading and cleaning only: untrusted text is made safe here (:mod:`.textclean`); publication dates,
outlets and URLs are read; long texts are cut into passages. Nothing here writes the index.
"""
