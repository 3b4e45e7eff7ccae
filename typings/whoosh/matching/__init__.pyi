from collections.abc import Iterator, Sequence
from typing import Any

class Matcher:
    def id(self) -> int: ...
    def is_active(self) -> bool: ...
    def next(self) -> Any: ...
    def score(self) -> float: ...
    def weight(self) -> float: ...
    def skip_to(self, id: int) -> Any: ...
    def term(self) -> tuple[str, Any] | None: ...
    def all_ids(self) -> Iterator[int]: ...

class ListMatcher(Matcher):
    _ids: list[int]
    _i: int
    def __init__(
        self,
        ids: Sequence[int],
        weights: Sequence[float] | None = ...,
        values: Any = ...,
        format: Any = ...,
        scorer: Any = ...,
        position: int = ...,
        all_weights: float | None = ...,
        term: Any = ...,
        terminfo: Any = ...,
    ) -> None: ...

class _NullMatcherClass(Matcher):
    def __call__(self) -> _NullMatcherClass: ...

NullMatcher: _NullMatcherClass

class FilterMatcher(Matcher):
    child: Matcher
    _ids: Any
    _exclude: bool
