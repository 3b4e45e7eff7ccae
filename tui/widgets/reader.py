"""The Reader: one article, a passage cursor, query hits and entity mentions marked.

The passage cursor is the paragraph that ``b`` bookmarks. It can be extended over the next
paragraphs (shift+j / shift+down) or narrowed to one sentence (``l``/``h`` step through the
sentences of the current paragraph); escape goes back to the whole paragraph.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from functools import partial, wraps
from typing import Concatenate, ParamSpec, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.reactive import reactive

from index.analysis.sentences import sentence_spans
from index.models import Article, Mention, paragraph_index
from index.search.backend import Analyze
from index.search.highlight import find_spans, phrase_spans, term_spans
from tui.keymap import KeyIds
from tui.messages import BookmarkRequested, CopyPassage, OpenSource
from tui.text import plain
from tui.widgets.article_view import ArticleView
from tui.widgets.find_bar import FindBar
from tui.widgets.reader_find import ReaderFind


def sentences(paragraph: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: the splitter the timeline's events use, so that ``l``
    after opening an event stays on its sentence."""
    return sentence_spans(paragraph) or [(0, len(paragraph))]


_P = ParamSpec("_P")


def _on_the_article(
    action: Callable[Concatenate[Reader, _P], None],
) -> Callable[Concatenate[Reader, _P], None]:
    """A key for the article being opened waits until it is shown, then applies to it (a key
    typed right after Enter must not move the cursor of the article being replaced)."""

    @wraps(action)
    def run(reader: Reader, *args: _P.args, **kwargs: _P.kwargs) -> None:
        if reader.waiting:
            reader.queued.append(partial(action, reader, *args, **kwargs))
        else:
            action(reader, *args, **kwargs)

    return cast("Callable[Concatenate[Reader, _P], None]", run)  # wraps' type, as declared


@dataclass(frozen=True)
class Passage:
    """What ``b`` would bookmark: paragraphs ``first``..``last`` or one sentence of ``first``."""

    first: int
    last: int
    sentence: tuple[int, int] | None = None


class Reader(KeyIds, ReaderFind, Vertical, can_focus=True):
    """Shows one article (drawn by its :class:`ArticleView`, which scrolls), with the find
    bar at its foot. Posts :class:`BookmarkRequested` on ``b``."""

    BINDINGS = [
        Binding("j,down", "passage(1)", "Next ¶", show=False),
        Binding("k,up", "passage(-1)", "Prev ¶", show=False),
        Binding("J,shift+down", "extend(1)", "Extend", show=False),
        Binding("K,shift+up", "extend(-1)", "Shrink", show=False),
        Binding("l,right", "sentence(1)", "Sentence", show=False),
        Binding("h,left", "sentence(-1)", "Prev sentence", show=False),
        Binding("escape", "reset_passage", "Whole ¶", show=False),
        Binding("g,home", "goto(0)", "Top", show=False),
        Binding("G,end", "goto(-1)", "Bottom", show=False),
        Binding("space,pagedown", "page(1)", "Page", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("n", "hit(1)", "Next hit"),
        Binding("N", "hit(-1)", "Prev hit"),
        Binding("b", "bookmark", "Bookmark"),
        Binding("ctrl+f", "find", "Find in article"),
        Binding("y", "copy_passage", "Copy with citation"),
        Binding("o", "open_source", "Open source URL"),
    ]
    DEFAULT_CSS = """
    Reader { background: $surface; }
    """

    passage: reactive[Passage] = reactive(Passage(0, 0), init=False, always_update=True)

    def __init__(self, analyze: Analyze, *, id: str | None = None) -> None:
        """``analyze``: the search backend's analysis, to find a search's terms in the text."""
        super().__init__(id=id)
        self.analyze = analyze
        self.article: Article | None = None
        self.terms: frozenset[str] = frozenset()
        # (paragraph, start, end) of each hit: a phrase of the search, or of the find bar's
        # query while it is open; n/N step through them
        self.hits: list[tuple[int, int, int]] = []
        self.find_text = ""
        self.hit_index = -1
        self.mentions: list[tuple[int, int, int, str]] = []
        self._mentions_in: dict[int, list[tuple[int, int, str]]] = {}
        self._hits_in: dict[int, list[tuple[int, int]]] = {}
        self._quotes_in: dict[int, list[tuple[int, int, str]]] = {}
        self.active_entity: str | None = None
        self.bookmarked: set[int] = set()
        self.view = ArticleView(self._paragraph_text)
        # (paragraph, start, end, speaker) of each quote, offsets in its first paragraph
        self.quotes: list[tuple[int, int, int, str]] = []
        # An article is being read: the passage keys wait in ``queued`` until it is shown.
        self.waiting = False
        self.queued: list[Callable[[], None]] = []
        self.opening = 0  # counts wait_for_article: a replay for an older one does nothing

    def compose(self) -> ComposeResult:
        # The same two widgets for every article: opening one changes the text, it mounts
        # nothing (see tui.widgets.article_view).
        yield self.view
        yield FindBar()

    # -- content ----------------------------------------------------------------------------
    def show(
        self,
        article: Article,
        mentions: Sequence[Mention] = (),
        terms: Collection[str] = (),
        paragraph: int | None = None,
        bookmarked: Collection[int] = (),
        quotes: Sequence[tuple[int, int, str]] = (),
        sentence: tuple[int, int] | None = None,
    ) -> None:
        """Display ``article``; put the passage cursor on ``paragraph`` or the first hit (on
        its ``sentence``, in the paragraph's coordinates, if given). ``quotes`` are (start,
        end, speaker) in the article's text: marked, with who said them. Keys that waited for
        the article apply once the cursor is placed."""
        self.article = article
        self.terms = frozenset(terms)
        self.bookmarked = set(bookmarked)
        starts = article.paragraph_starts()
        self.mentions = []
        for m in mentions:
            p = paragraph_index(starts, m.start)
            offset = starts[p]
            if m.end - offset <= len(article.paragraphs[p]):
                self.mentions.append((p, m.start - offset, m.end - offset, m.name))
        self.quotes = []
        for start, end, speaker in quotes:
            p = paragraph_index(starts, start)
            offset = starts[p]
            last = min(end - offset, len(article.paragraphs[p]))
            self.quotes.append((p, start - offset, max(start - offset, last), speaker))
        self.hits = self._find_hits()
        self._group()
        self.view.show_article(self._header(article), len(article.paragraphs), self.bookmarked)
        if paragraph is None and self.hits:
            paragraph = self.hits[0][0]
        self.hit_index = next((k for k, h in enumerate(self.hits) if h[0] == (paragraph or 0)), -1)
        self._show_count()
        # A paragraph the article no longer has (edited and re-indexed since a session or a
        # bookmark kept it): its first paragraph.
        first = paragraph if paragraph is not None and paragraph < len(article.paragraphs) else 0
        if self.view.measured:  # the view knows where each paragraph is: place it now
            self._place(Passage(first, first, sentence))
        else:  # not laid out yet (the first article of a start): once it is
            self.call_after_refresh(self._place, Passage(first, first, sentence))

    def shows(self, article_id: str) -> bool:
        """``article_id`` is on screen, placed, and no other article is being read."""
        return self.article is not None and self.article.id == article_id and not self.waiting

    def place_at(self, paragraph: int) -> None:
        """Put the passage cursor on ``paragraph`` (and the current hit on its first hit)."""
        if not 0 <= paragraph < self.paragraph_count:
            return
        hit = next((k for k, h in enumerate(self.hits) if h[0] == paragraph), -1)
        if hit != self.hit_index:
            self._set_hits(hit)
        self.passage = Passage(paragraph, paragraph)

    def set_related(self, article_id: str, text: Text) -> None:
        """Show ``text`` (the open article's copies and similar articles) under the header,
        if ``article_id`` is still the open article."""
        if self.article is not None and self.article.id == article_id:
            self.view.set_related(text)

    def _place(self, passage: Passage) -> None:
        """The cursor where the article opens, then the keys typed while it was read."""
        self.passage = passage
        # From this widget's own queue: a message a replayed key posts (b) then comes from the
        # Reader, and bubbles up to the app like one posted by a key press.
        self.call_next(self._replay, self.opening)

    def _replay(self, opening: int) -> None:
        if opening != self.opening:
            return  # another article is being read: its keys wait for it
        while self.queued:  # each step takes one: keys typed meanwhile go on the end
            self.queued.pop(0)()
        self.waiting = False

    def wait_for_article(self) -> None:
        """An article is being read: passage keys from now on wait for it (see show)."""
        self.opening += 1
        self.waiting = True
        self.queued = []

    def stop_waiting(self) -> None:
        """Nothing is coming (no hit to open, a failed read): drop the keys that waited."""
        self.opening += 1
        self.waiting = False
        self.queued = []

    def show_empty(self) -> None:
        self.show_message("No article matches.")

    def show_message(self, message: str) -> None:
        """No article: ``message`` (plain text) in its place."""
        self.stop_waiting()
        self.article = None
        self.hits = []
        self.view.show_message(plain(message))
        self._show_count()

    def _group(self) -> None:
        """Mentions and hits by paragraph: drawing one must not scan every mention and hit of
        the article (a 1,000,000-character article has tens of thousands: the app froze)."""
        self._mentions_in = {}
        for p, start, end, name in self.mentions:
            self._mentions_in.setdefault(p, []).append((start, end, name))
        self._hits_in = {}
        for p, start, end in self.hits:
            self._hits_in.setdefault(p, []).append((start, end))
        self._quotes_in = {}
        for p, start, end, speaker in self.quotes:
            self._quotes_in.setdefault(p, []).append((start, end, speaker))

    def _find_hits(self) -> list[tuple[int, int, int]]:
        """(paragraph, start, end) of every match of the find bar's query, or else of every
        phrase of the search (words next to each other are one hit) in the open article."""
        assert self.article is not None
        if self.find_text:
            return [
                (i, s, e)
                for i, para in enumerate(self.article.paragraphs)
                for s, e in find_spans(para, self.find_text)
            ]
        return [
            (i, s, e)
            for i, para in enumerate(self.article.paragraphs)
            for s, e in phrase_spans(para, term_spans(para, self.terms, self.analyze))
        ]

    def set_terms(self, terms: Collection[str]) -> None:
        """Highlight ``terms`` (the open article's hit for a newer query) where the cursor is."""
        if self.article is None or frozenset(terms) == self.terms:
            return
        self.terms = frozenset(terms)
        if not self.find_text:
            self._set_hits(-1)

    def set_active_entity(self, name: str | None) -> None:
        self.active_entity = name
        self._rerender()

    def mark_bookmarked(self, paragraphs: Collection[int]) -> None:
        self.bookmarked = set(paragraphs)
        self.view.set_bookmarked(self.bookmarked)

    def _header(self, article: Article) -> Text:
        text = plain(article.title, "bold")
        details = [article.outlet or "unknown outlet"]
        if article.published:
            date = article.published.strftime("%-d %B %Y")
            details.append(date + (" (inferred)" if article.date_inferred else ""))
        else:
            details.append("undated")
        if article.author:
            details.append(f"by {article.author}")
        text.append("\n")
        text.append_text(plain(" · ".join(details), "italic"))
        if article.url:  # plain text: a URL from the corpus is never markup or a live link
            text.append("\n")
            text.append_text(plain(article.url, "dim"))
        if article.standfirst:
            text.append("\n")
            text.append_text(plain(article.standfirst, "dim"))
        return text

    def _paragraph_text(self, index: int) -> Text:
        assert self.article is not None
        paragraph = self.article.paragraphs[index]
        text = plain(paragraph)
        for start, end, name in self._mentions_in.get(index, ()):
            active = self.active_entity is not None and name == self.active_entity
            text.stylize("bold reverse" if active else "underline", start, end)
        speakers: dict[str, None] = {}
        for start, end, speaker in self._quotes_in.get(index, ()):
            text.stylize("italic", start, end)
            speakers[speaker or "unattributed"] = None
        current = self.hits[self.hit_index] if 0 <= self.hit_index < len(self.hits) else None
        for start, end in self._hits_in.get(index, ()):
            mine = current == (index, start, end)
            text.stylize(
                "bold white on dark_orange3" if mine else "bold black on yellow", start, end
            )
        passage = self.passage
        if passage.sentence and index == passage.first:
            s, e = passage.sentence
            text.stylize("on dark_green", s, e)
        if speakers:  # who is quoted here, after the paragraph's own text (offsets unchanged)
            text.append("\n")
            text.append_text(plain("❝ " + "; ".join(speakers), "dim italic"))
        return text

    def _rerender(self) -> None:
        if self.article is not None:
            self.view.restyle_all()

    def on_article_view_clicked(self, event: ArticleView.Clicked) -> None:
        """A click on a paragraph puts the passage cursor there."""
        event.stop()
        self.focus()
        if event.paragraph is not None:
            self.passage = Passage(event.paragraph, event.paragraph)

    # -- passage cursor ---------------------------------------------------------------------
    def watch_passage(self, old: Passage, new: Passage) -> None:
        if self.article is None:
            return
        view = self.view
        if old.sentence or new.sentence:
            view.restyle({old.first, new.first})
        view.set_passage((new.first, new.last))
        if new.first == 0 and new.last == 0:
            view.scroll_to(y=0, animate=False)  # keep the title block in view
        elif new.first < view.count:
            # The passage's end too when J extends it (first its start, so that a passage
            # taller than the Reader shows where it ends, the part that changed).
            view.scroll_to_paragraph(new.first)
            if new.last != new.first:
                view.scroll_to_paragraph(min(new.last, view.count - 1))

    @property
    def paragraph_count(self) -> int:
        return len(self.article.paragraphs) if self.article else 0

    @_on_the_article
    def action_passage(self, delta: int) -> None:
        if not self.paragraph_count:
            return
        first = max(0, min(self.passage.first + delta, self.paragraph_count - 1))
        self.passage = Passage(first, first)

    @_on_the_article
    def action_extend(self, delta: int) -> None:
        p = self.passage
        last = max(p.first, min(p.last + delta, self.paragraph_count - 1))
        self.passage = Passage(p.first, last)

    @_on_the_article
    def action_sentence(self, delta: int) -> None:
        if self.article is None:
            return
        p = self.passage
        spans = sentences(self.article.paragraphs[p.first])
        if p.sentence in spans:
            k = spans.index(p.sentence) + delta
        else:
            k = 0 if delta > 0 else len(spans) - 1
        k = max(0, min(k, len(spans) - 1))
        self.passage = Passage(p.first, p.first, spans[k])

    @_on_the_article
    def action_reset_passage(self) -> None:
        self.passage = Passage(self.passage.first, self.passage.first)

    @_on_the_article
    def action_goto(self, where: int) -> None:
        if self.paragraph_count:
            first = where % self.paragraph_count
            self.passage = Passage(first, first)

    @_on_the_article
    def action_page(self, direction: int) -> None:
        if direction > 0:
            self.view.scroll_page_down(animate=False)
        else:
            self.view.scroll_page_up(animate=False)

    def passage_text(self) -> str:
        assert self.article is not None
        p = self.passage
        if p.sentence:
            s, e = p.sentence
            return self.article.paragraphs[p.first][s:e]
        return "\n\n".join(self.article.paragraphs[p.first : p.last + 1])

    @_on_the_article
    def action_bookmark(self) -> None:
        if self.article is None:
            self.notify("Open an article first", severity="warning")
            return
        self.post_message(
            BookmarkRequested(self.article.id, self.passage.first, self.passage_text())
        )

    @_on_the_article
    def action_hit(self, delta: int) -> None:
        super().action_hit(delta)

    @_on_the_article
    def action_copy_passage(self) -> None:
        if self.article is None:
            self.notify("Open an article first", severity="warning")
            return
        p = self.passage
        self.post_message(CopyPassage(self.article, p.first, p.last, self.passage_text()))

    @_on_the_article
    def action_open_source(self) -> None:
        if self.article is None:
            self.notify("Open an article first", severity="warning")
            return
        self.post_message(OpenSource(self.article))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.waiting:
            return True  # the key waits for the article being opened
        if action in ("bookmark", "hit", "copy_passage", "open_source") and self.article is None:
            return None  # greyed out: nothing to act on
        if action == "hit" and not self.hits:
            return None
        return True
