"""HTML article bodies to paragraphs, with the standard library's ``html.parser``.

The markup is untrusted and often broken (reposted feeds, unclosed tags); the tokenizer never
raises on it. Block elements and ``<br>`` end a paragraph; ``<script>``/``<style>`` and similar
are dropped with their content; entities are decoded by the parser.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCKS = frozenset(
    (
        "p", "br", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "blockquote",
        "section", "article", "header", "footer", "aside", "table", "tr", "td", "th", "figure",
        "figcaption", "pre", "hr", "dl", "dt", "dd", "main", "nav", "form",
    )
)  # fmt: skip
_SKIPPED = frozenset(
    (
        "script", "style", "noscript", "template", "head", "iframe", "svg", "object", "button",
        "select",
    )
)  # fmt: skip
_SPACES = re.compile(r"\s+")
_LOOKS_HTML = re.compile(
    r"<(?:p|br|div|span|a|h[1-6]|li|ul|ol|em|strong|b|i|table|img|script|style|blockquote)"
    r"(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)


def looks_like_html(text: str) -> bool:
    """Whether a body is HTML rather than Markdown or plain text."""
    return _LOOKS_HTML.search(text) is not None


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._current: list[str] = []
        self._skipping = 0

    def _flush(self) -> None:
        text = _SPACES.sub(" ", "".join(self._current)).strip()
        if text:
            self.paragraphs.append(text)
        self._current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self._skipping += 1
        elif tag in _BLOCKS:
            self._flush()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:  # <br/>; a self-closed <script/> has no content to skip
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self._current.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def html_paragraphs(markup: str) -> list[str]:
    """The text of an HTML fragment as paragraphs: tags stripped, entities decoded."""
    collector = _Collector()
    collector.feed(markup)
    collector.close()
    return collector.paragraphs
