"""Which query terms each hit matched, recorded only for the hits that can be shown.

Whoosh's ``terms=True`` (its ``TermsCollector``) asks every term matcher of the query, for
every matching document, whether it matches that document: an as-you-type prefix is some 40-90
terms in each of 10 segments and matches thousands of articles, and only the best 200 are
listed. :class:`TopTerms` asks only for the documents that enter the best ``limit`` so far.
"""

from __future__ import annotations

from typing import Any

from whoosh.collectors import Collector, TermsCollector, TopCollector, WrappingCollector


def _top(collector: Collector) -> TopCollector | None:
    """The collector under the wrappers that keeps the best documents, if one does."""
    while isinstance(collector, WrappingCollector):
        collector = collector.child
    return collector if isinstance(collector, TopCollector) else None


class TopTerms(TermsCollector):
    """Whoosh's ``TermsCollector`` around ``child``, recording the matched terms only of the
    documents that enter the top (all of them when ``child`` keeps every document).

    A document recorded may later fall out of the top: its terms are then never read. The
    results' ``docterms`` of every document returned are the same as ``TermsCollector``'s.
    """

    def __init__(self, child: Collector) -> None:
        super().__init__(child)
        self._top = _top(child)
        self.recorded = 0  # documents whose terms were recorded (for the tests)

    def collect(self, sub_docnum: int) -> Any:
        top = self._top
        if top is None:
            self.recorded += 1
            return super().collect(sub_docnum)
        items = top.items
        size, first = len(items), items[0] if items else None
        found = self.child.collect(sub_docnum)
        if len(items) != size or (items and items[0] is not first):
            # it entered the heap: a push, or a replace of the worst kept document
            self.recorded += 1
            self._record(sub_docnum)
        return found

    def _record(self, sub_docnum: int) -> None:
        global_docnum = self.child.offset + sub_docnum
        for tm in self.termmatchers:
            term = tm.term() if tm.is_active() and tm.id() == sub_docnum else None
            if term is not None:
                self.termdocs[term].append(global_docnum)
                self.docterms[global_docnum].append(term)
