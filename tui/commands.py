"""Command palette providers: open an article by title, filter by entity, run a saved search."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.markup import escape

from index.ingest.textclean import visible
from index.session.saved import SavedSearch, load_saved, saved_path
from tui.messages import EntityChosen, OpenArticle

if TYPE_CHECKING:
    from index.models import ArticleInfo
    from tui.screens.main import MainScreen

# The palette reads plain strings (prompts and help) as Textual markup. Titles, outlets and
# entity names are corpus text, so prompts are built as Content and help is escaped.


def _highlighted(matcher: Matcher, candidate: str) -> Content:
    """``Matcher.highlight`` without reading the candidate as markup."""
    content = Content(candidate)
    _score, offsets = matcher.fuzzy_search.match(matcher.query, candidate)
    for offset in offsets:
        if not candidate[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


def _help(text: str) -> str:
    return escape(visible(text))


def _main_screen(provider: Provider) -> MainScreen | None:
    from tui.screens.main import MainScreen

    for screen in provider.app.screen_stack:
        if isinstance(screen, MainScreen):
            return screen
    return None


def _open_article(screen: MainScreen, info: ArticleInfo) -> tuple[str, Callable[[], object], str]:
    """Label, command and help of the "Open: <title>" hit for one article."""
    name = f"Open: {visible(info.title)}"
    command = partial(screen.post_message, OpenArticle(info.id))
    return name, command, _help(f"{info.outlet or '—'} · {info.published or 'undated'}")


class ArticleCommands(Provider):
    """ "Open: <title>" for every article."""

    async def search(self, query: str) -> Hits:
        screen = _main_screen(self)
        if screen is None:
            return
        matcher = self.matcher(query)
        for info in screen.infos:
            name, command, help_text = _open_article(screen, info)
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, _highlighted(matcher, name), command, text=name, help=help_text)

    async def discover(self) -> Hits:
        screen = _main_screen(self)
        if screen is None:
            return
        for info in screen.infos[:20]:
            name, command, help_text = _open_article(screen, info)
            yield DiscoveryHit(Content(name), command, text=name, help=help_text)


class EntityCommands(Provider):
    """ "Filter by entity: <name>" for every entity of the corpus."""

    async def startup(self) -> None:
        # Once per palette, off the event loop: every entity of a 20,000-article corpus takes
        # about half a second to read, far too slow to repeat on each keystroke.
        screen = _main_screen(self)
        self._screen = screen
        self._entities = await asyncio.to_thread(screen.library.entities) if screen else []

    async def search(self, query: str) -> Hits:
        screen = self._screen
        if screen is None:
            return
        matcher = self.matcher(query)
        for entity in self._entities:
            name = f"Filter by entity: {visible(entity.name)}"
            score = matcher.match(name)
            if score > 0:
                yield Hit(
                    score,
                    _highlighted(matcher, name),
                    partial(screen.post_message, EntityChosen(entity.name)),
                    text=name,
                    help=f"{entity.type}, {entity.mentions} mentions, "
                    f"{len(entity.articles)} articles",
                )


class SavedSearchCommands(Provider):
    """ "Run saved search: <name>" for each search in the data folder's searches.yaml."""

    async def startup(self) -> None:
        screen = _main_screen(self)
        self._screen = screen
        self._searches: list[SavedSearch] = []
        if screen is not None:
            path = saved_path(screen.library.settings.data_dir)
            self._searches, _problems = await asyncio.to_thread(load_saved, path)

    def _hits(self) -> Iterator[tuple[str, Callable[[], object], str]]:
        if self._screen is None:
            return
        for search in self._searches:
            name = f"Run saved search: {visible(search.name)}"
            filters = [f for f in (search.entity, search.period) if f]
            what = " · ".join([search.query or "(no query)", *filters, search.sort])
            yield name, partial(self._screen.run_saved, search), _help(what)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, command, help_text in self._hits():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, _highlighted(matcher, name), command, text=name, help=help_text)

    async def discover(self) -> Hits:
        for name, command, help_text in self._hits():
            yield DiscoveryHit(Content(name), command, text=name, help=help_text)
