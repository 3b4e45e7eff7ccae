from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from whoosh.analysis.acore import Token as Token

STOP_WORDS: frozenset[str]

class Composable:
    def __or__(self, other: Composable) -> Analyzer: ...

class Analyzer(Composable):
    def __call__(self, value: str, **kwargs: Any) -> Iterator[Token]: ...

class Tokenizer(Composable):
    def __call__(self, value: str, **kwargs: Any) -> Iterator[Token]: ...

class Filter(Composable):
    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]: ...

class RegexTokenizer(Tokenizer):
    def __init__(self, expression: str = ..., gaps: bool = ...) -> None: ...

class LowercaseFilter(Filter):
    def __init__(self) -> None: ...

class CharsetFilter(Filter):
    def __init__(self, charmap: Mapping[int, str]) -> None: ...

class StopFilter(Filter):
    def __init__(self, stoplist: Iterable[str] | None = ..., minsize: int = ...) -> None: ...

class StemFilter(Filter):
    def __init__(self) -> None: ...
