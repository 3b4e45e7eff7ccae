"""The searching half of :class:`index.library.Library`: full-text and typo-tolerant search,
their snippets, and the advice when they find nothing or little.

A mixin, so that ``library.py`` keeps to opening, building and reading; it uses the
catalogue, the search backend (:mod:`index.search.backend`) and the article list the library
holds. Nothing here knows which backend it is.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from dataclasses import replace
from functools import partial
from typing import Any, Literal

from rapidfuzz import fuzz, process

from index.models import ArticleInfo, SearchHit
from index.search import advice, fuzzysearch, query
from index.search import querytree as qt
from index.search.advice import Advice
from index.search.backend import Hit, IndexDamaged, SearchBackend
from index.search.fuzzy import MIN_QUERY, FuzzyIndex, Vocabulary, spans_of, words
from index.search.highlight import (
    analysed_terms,
    best_paragraph,
    cut_snippet,
    merge_spans,
    name_spans,
    term_spans,
)
from index.search.memo import Memo
from index.search.query import QueryError, is_fulltext
from index.search.typos import FUNCTION_FORMS
from index.store.base import Store
from index.store.quoteindex import expand_speakers

MEMO_SIZE = 4096  # hits' title highlights, and snippets, kept for the next keystrokes


class Searching:
    """Search methods of :class:`index.library.Library` (see there)."""

    catalogue: Store
    fulltext: SearchBackend
    _cache_lock: threading.Lock
    _fuzzy_building: threading.Lock
    _cache_epoch: int
    _fuzzy: FuzzyIndex | None
    _infos: list[ArticleInfo] | None
    # ``_infos`` and its articles by id, made again when ``_infos`` is replaced
    _by_id: tuple[list[ArticleInfo], dict[str, ArticleInfo]] | None = None
    # the last plan: (text, the vocabularies it used, plans)
    _last_plan: tuple[str, tuple[Vocabulary, ...], list[fuzzysearch.WordPlan]] | None = None
    # title highlights and snippets of the last keystrokes' hits (see _memo)
    _memos: dict[str, Memo[Any]] | None = None

    def articles(self) -> list[ArticleInfo]:
        raise NotImplementedError  # Library's

    def canonical_names(self) -> dict[str, str]:
        raise NotImplementedError  # Library's

    # -- searching --------------------------------------------------------------------------
    def search(
        self, text: str, limit: int = 10, any_word: bool = False, snippets: int | None = None
    ) -> list[SearchHit]:
        """Ranked full-text search (the syntax of :mod:`index.search.query`); ``any_word``
        relaxes the top-level AND to OR (exclusions still apply). Only the first ``snippets``
        hits (all by default) come with their snippet cut; :meth:`snippets` cuts the others'.
        Raises :class:`QueryError`."""
        if "speaker:" in text:  # the names of the entity as quotes store them (quoteindex.py)
            text = expand_speakers(text, self.catalogue, self.canonical_names())
        parsed = query.parse(text)
        if any_word:
            parsed = query.any_part(parsed)
        try:
            found = self.fulltext.search(parsed, limit=limit)
        except IndexDamaged as exc:
            raise QueryError(f"the index is damaged ({exc}); run `thaad-tui index`") from exc
        hits = [self._hit(h.id, h.score, h.terms, "fulltext") for h in found.hits]
        return self._cut_first(hits, snippets)

    def _hit(
        self,
        article_id: str,
        score: float,
        terms: frozenset[str],
        mode: Literal["fulltext", "fuzzy"],
        names: frozenset[str] = frozenset(),
        words: frozenset[str] = frozenset(),
    ) -> SearchHit:
        """A hit without its snippet: the title and link come from the article list, so no
        body is read (a search lists 200 hits; the screen shows a dozen). The title marks the
        words whose indexed forms are ``terms``, the ``names`` and the ``words`` as written."""
        found = self._title_url(article_id)
        if found is None:
            return SearchHit(article_id, "(missing)", score, "", mode=mode)
        title, url = found
        analyze = self.fulltext.analyze

        def spans() -> tuple[tuple[int, int], ...]:
            return merge_spans(
                [
                    *term_spans(title, terms, analyze),
                    *name_spans(title, names),
                    *spans_of(title, words),
                ]
            )

        # the next keystroke lists mostly the same articles for the same words
        key = (article_id, terms, names, words)
        return SearchHit(
            id=article_id,
            title=title,
            score=round(score, 3),
            snippet="",
            title_spans=self._memo("titles").get(self._infos, key, spans),
            mode=mode,
            terms=tuple(sorted(terms)),
            url=url,
            names=tuple(sorted(names)),
            cut=False,
        )

    def _title_url(self, article_id: str) -> tuple[str, str | None] | None:
        infos = self._infos
        if infos is not None:  # the app's case: the list is loaded
            by_id = self._by_id
            if by_id is None or by_id[0] is not infos:
                by_id = self._by_id = (infos, {info.id: info for info in infos})
            info = by_id[1].get(article_id)
            if info is not None:
                return info.title, info.url
        article = self.catalogue.article(article_id)
        return (article.title, article.url) if article is not None else None

    def _cut_first(self, hits: list[SearchHit], count: int | None) -> list[SearchHit]:
        count = len(hits) if count is None else max(0, count)
        return self.snippets(hits[:count]) + hits[count:]

    def snippets(self, hits: Sequence[SearchHit]) -> list[SearchHit]:
        """``hits`` with their snippets cut: the best paragraph of each article for the words
        it matched, and where they are in it (hits already cut are returned as they are)."""
        out = []
        for hit in hits:
            if hit.cut:
                out.append(hit)
                continue
            terms, names = frozenset(hit.terms), frozenset(hit.names)
            # the next keystroke shows mostly the same articles for the same words
            key = (hit.id, terms, names)
            cut = self._memo("snippets").get(self._infos, key, partial(self._snippet, *key))
            if cut is None:  # the article is gone
                out.append(replace(hit, cut=True))
                continue
            snippet, spans, paragraph = cut
            out.append(replace(hit, snippet=snippet, spans=spans, paragraph=paragraph, cut=True))
        return out

    def _snippet(
        self, article_id: str, terms: frozenset[str], names: frozenset[str]
    ) -> tuple[str, tuple[tuple[int, int], ...], int | None] | None:
        """(snippet, its hit spans, paragraph) of an article for the words it matched."""
        article = self.catalogue.article(article_id)
        if article is None:
            return None
        paragraph, spans = best_paragraph(article.paragraphs, terms, self.fulltext.analyze, names)
        text = article.paragraphs[paragraph] if article.paragraphs else ""
        snippet, snippet_spans = cut_snippet(text, spans)
        return snippet, tuple(snippet_spans), paragraph if spans else None

    def _memo(self, name: str) -> Memo[Any]:
        """The memo called ``name`` (made on first use: this is a mixin, without __init__)."""
        memos = self._memos
        if memos is None:
            with self._cache_lock:
                if self._memos is None:
                    self._memos = {"titles": Memo(MEMO_SIZE), "snippets": Memo(MEMO_SIZE)}
                memos = self._memos
        return memos[name]

    def fuzzy_index(self) -> FuzzyIndex:
        """The per-keystroke matcher over titles, outlets and entity names (built lazily)."""
        return self._fuzzy_snapshot()[1]

    def _fuzzy_snapshot(self) -> tuple[list[ArticleInfo], FuzzyIndex]:
        """The article list and the matcher built from it, taken together: an update between
        two separate reads would pair positions from one list with articles of another. The
        matcher is built outside the cache lock (see Caches._init_caches)."""
        with self._cache_lock:
            if self._fuzzy is not None and self._infos is not None:
                return self._infos, self._fuzzy
        with self._fuzzy_building:
            with self._cache_lock:
                if self._fuzzy is not None and self._infos is not None:
                    return self._infos, self._fuzzy  # built by the thread that held the lock
                infos, epoch = self._infos, self._cache_epoch
            if infos is None:
                infos = self.catalogue.infos()
            position = {info.id: i for i, info in enumerate(infos)}
            names: list[tuple[str, list[int]]] = []
            for e in self.catalogue.entities():
                indexes = [position[a] for a in e.articles if a in position]
                for name in dict.fromkeys((e.name, *e.aliases)):
                    names.append((name, indexes))
            fuzzy = FuzzyIndex(
                [i.title for i in infos],
                [i.outlet for i in infos],
                names,
                self.fulltext.analyze,
            )
            with self._cache_lock:
                if epoch == self._cache_epoch:  # nothing was forgotten meanwhile: kept
                    self._infos, self._fuzzy = infos, fuzzy
            return infos, fuzzy

    def fuzzy(
        self,
        text: str,
        limit: int = 50,
        passages: bool = True,
        any_word: bool = False,
        snippets: int | None = None,
    ) -> list[SearchHit]:
        """Typo-tolerant search over titles, outlets, entity names and (optionally) passages,
        best first (see :mod:`index.search.fuzzysearch`); ``any_word`` relaxes "every word" to
        "any". Only the first ``snippets`` hits (all by default) come with their snippet cut;
        :meth:`snippets` cuts the others' (the search box cuts only the rows on screen).

        Raises :class:`QueryError` for a query too long to answer on every keystroke."""
        if len(text) > query.MAX_LENGTH:
            raise QueryError(f"query too long ({len(text)} characters; at most {query.MAX_LENGTH})")
        if len(text.strip()) < MIN_QUERY:
            return []
        infos, fi = self._fuzzy_snapshot()
        signed = fuzzysearch.split_signs(text)
        if len(signed) > fuzzysearch.MAX_WORDS:
            raise QueryError(f"too many words ({len(signed)}; at most {fuzzysearch.MAX_WORDS})")
        scored: dict[str, tuple[float, frozenset[str]]] = {}
        names: set[str] = set()
        excluded: set[str] = set()
        plans: list[fuzzysearch.WordPlan] = []
        if passages:
            plans = self.fuzzy_plan(text)
            names = {n for p in plans if p.sign != "-" for n in p.names()}
            for hit in self._hits(fuzzysearch.to_query(plans, any_word), limit):
                scored[hit.id] = (hit.score, hit.terms)
            unwanted = [p for p in plans if p.sign == "-" and p.matched]
            if unwanted:
                negative = fuzzysearch.to_query([replace(p, sign="") for p in unwanted], True)
                excluded = {hit.id for hit in self._hits(negative, None)}
        # Outlets, entity names and aliases (titles are in the text search): what the text
        # search has not found yet comes after it (an outlet, an alias the user gave an entity).
        # (not for a "+word": the names are matched by typos, and it asks for none)
        wanted = " ".join(w for sign, w in signed if sign == "")
        if any(sign == "+" for sign, _w in signed):
            wanted = ""
        floor = min((s for s, _t in scored.values()), default=1.0)
        for m in fi.match(wanted + text[len(text.rstrip()) :], limit, any_word, titles=False):
            aid = infos[m.index].id
            if aid not in scored and aid not in excluded:
                scored[aid] = (floor * m.score / 200, m.words)
        if any_word and passages:
            # with any word allowed, an article with more of them comes first
            covered = {aid: fuzzysearch.coverage(plans, t) for aid, (_s, t) in scored.items()}
            ranked = sorted(scored.items(), key=lambda kv: (-covered[kv[0]], -kv[1][0]))
        else:
            ranked = sorted(scored.items(), key=lambda kv: -kv[1][0])
        hits: list[SearchHit] = []
        for aid, (score, matched) in ranked[:limit]:
            analysed = (t for w in matched for t in analysed_terms(w, self.fulltext.analyze))
            terms = frozenset(analysed) | matched
            # only the names this article matched are looked for in its paragraphs
            hits.append(self._hit(aid, score, terms, "fuzzy", frozenset(names & matched), matched))
        return self._cut_first(hits, snippets)

    def advise(self, text: str, shown: int, fuzzy: bool | None = None) -> Advice | None:
        """Why a search found nothing or few (``shown``) articles, and the way out, or None.
        ``fuzzy``: which search ran (by default, the one the search box runs for ``text``).
        Raises :class:`QueryError` for a malformed full-text query."""
        if not fuzzy if fuzzy is not None else is_fulltext(text):
            return advice.for_fulltext(self, text, shown)
        return advice.for_fuzzy(self, text, shown)

    def matching_ids(self, text: str, any_word: bool = False) -> set[str]:
        """Every article the search box's search for ``text`` matches, beyond the 200 it
        lists (for panes that count what the search shows). Raises :class:`QueryError`."""
        if len(text.strip()) < MIN_QUERY:
            return set()
        try:
            if is_fulltext(text):
                parsed = query.parse(text)
                return set(self.fulltext.ids(query.any_part(parsed) if any_word else parsed))
            plans = self.fuzzy_plan(text)
            found = set(self.fulltext.ids(fuzzysearch.to_query(plans, any_word)))
            unwanted = [replace(p, sign="") for p in plans if p.sign == "-" and p.matched]
            excluded = set(self.fulltext.ids(fuzzysearch.to_query(unwanted, True)))
        except IndexDamaged as exc:
            raise QueryError(f"the index is damaged ({exc}); run `thaad-tui index`") from exc
        # plus the outlet and entity-name matches the list shows after the text's
        infos, fi = self._fuzzy_snapshot()
        signed = fuzzysearch.split_signs(text)
        named: set[str] = set()
        if not any(sign == "+" for sign, _w in signed):
            wanted = " ".join(w for sign, w in signed if sign == "") + text[len(text.rstrip()) :]
            named = {infos[m.index].id for m in fi.match(wanted, None, any_word, titles=False)}
        return found | (named - excluded)

    def count(self, parsed: qt.Query) -> int:
        """How many articles match a parsed query (0 if the index cannot be read)."""
        try:
            return self.fulltext.count(parsed)
        except IndexDamaged:
            return 0

    def suggest(self, word: str, limit: int = 3) -> list[str]:
        """Words of the index close to ``word`` ("did you mean"): as titles and names write
        them, else as the text has them (joined names, stems)."""
        found: dict[str, float] = {}
        for pool in (self._vocabulary(fuzzysearch.SURFACE), self._vocabulary("joined")):
            for w, score, _i in process.extract(
                word, pool.sorted, scorer=fuzz.ratio, score_cutoff=70, limit=limit
            ):
                if w != word and w not in FUNCTION_FORMS:
                    found[w] = max(found.get(w, 0.0), score)
        if not found:
            for w, score, _i in process.extract(
                word,
                self._vocabulary("body").sorted,
                scorer=fuzz.ratio,
                score_cutoff=70,
                limit=limit,
            ):
                if w != word and w not in FUNCTION_FORMS:
                    found[w] = score
        return sorted(found, key=lambda w: -found[w])[:limit]

    def fuzzy_plan(self, text: str) -> list[fuzzysearch.WordPlan]:
        """What each word of a plain-word query matches in the index (for explanations).
        The plans are shared with the next caller for the same text: read them, do not
        change them."""
        # The search box plans each keystroke twice (the search, then its advice): the second
        # is this cache, valid while the vocabularies it was planned with are current.
        vocabularies = (self._vocabulary(fuzzysearch.SURFACE), self._vocabulary("body"))
        last = self._last_plan
        if (
            last is not None
            and last[0] == text
            and all(a is b for a, b in zip(last[1], vocabularies, strict=True))
        ):
            return last[2]
        plans = fuzzysearch.plan(text, self._vocabulary, self.fulltext.analyze, self._frequency)
        self._last_plan = (text, vocabularies, plans)
        return plans

    def _frequency(self, field: str, word: str) -> int:
        try:
            return self.fulltext.doc_frequency(field, word)
        except IndexDamaged:
            return 0

    def _vocabulary(self, field: str) -> Vocabulary:
        if field == fuzzysearch.SURFACE:
            return self._fuzzy_snapshot()[1].surface
        try:
            return self.fulltext.vocabulary(field)
        except IndexDamaged:
            return Vocabulary(())  # titles and names still match; the next update rebuilds

    def _hits(self, parsed: qt.Query, limit: int | None) -> list[Hit]:
        try:
            return self.fulltext.search(parsed, limit=limit).hits
        except IndexDamaged:
            return []

    def _passage_candidates(self, passage: str, limit: int = 5) -> Iterator[str]:
        """Articles whose text has the words of ``passage``: all of its most telling words,
        then (only if asked for more) most of them."""
        first = passage.split("\n\n", 1)[0]
        terms = {t for w in words(first)[:60] for t in analysed_terms(w, self.fulltext.analyze)}
        # Long words are rare words: a few of them find the passage; common ones only cost time.
        clauses = tuple(
            qt.IndexTerm("body", t) for t in sorted(terms, key=lambda t: (-len(t), t))[:8]
        )
        if not clauses:
            return
        seen: set[str] = set()
        for query_ in (qt.And(clauses), qt.Or(clauses)):
            try:
                found = self.fulltext.search(query_, limit=limit)
            except IndexDamaged:
                return
            for hit in found.hits:
                if hit.id not in seen:
                    seen.add(hit.id)
                    yield hit.id
