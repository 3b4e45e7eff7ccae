from array import array
from typing import Any

from whoosh.matching import Matcher

class Collector:
    offset: int
    def results(self) -> Any: ...
    def collect(self, sub_docnum: int) -> Any: ...

class TopCollector(Collector):
    items: list[tuple[float, int]]

class WrappingCollector(Collector):
    child: Collector
    def __init__(self, child: Collector) -> None: ...

class TermsCollector(WrappingCollector):
    termmatchers: list[Matcher]
    termdocs: dict[tuple[str, Any], array[int]]
    docterms: dict[int, list[tuple[str, Any]]]

class FilterCollector(WrappingCollector):
    def __init__(self, child: Collector, allow: Any = ..., restrict: Any = ...) -> None: ...
