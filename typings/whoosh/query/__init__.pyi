from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any

class Query:
    boost: float
    def normalize(self) -> Query: ...
    def is_leaf(self) -> bool: ...
    def apply(self, fn: Callable[[Query], Query]) -> Query: ...
    def leaves(self) -> Iterator[Query]: ...

class Term(Query):
    fieldname: str
    text: str
    def __init__(self, fieldname: str, text: str, boost: float = ...) -> None: ...

class FuzzyTerm(Term):
    maxdist: int
    prefixlength: int

class Prefix(Term): ...
class Wildcard(Term): ...

class Phrase(Query):
    fieldname: str
    words: list[str]

class TermRange(Query): ...

class DateRange(Query):
    def __init__(
        self,
        fieldname: str,
        start: datetime | None,
        end: datetime | None,
        startexcl: bool = ...,
        endexcl: bool = ...,
        boost: float = ...,
    ) -> None: ...

class CompoundQuery(Query):
    subqueries: list[Query]
    def __init__(self, subqueries: Sequence[Query], boost: float = ..., **kwargs: Any) -> None: ...

class And(CompoundQuery): ...

class Or(CompoundQuery):
    minmatch: int
    scale: float | None

class Not(Query):
    query: Query
    def __init__(self, query: Query, boost: float = ...) -> None: ...

class BinaryQuery(Query):
    a: Query
    b: Query
    def __init__(self, a: Query, b: Query) -> None: ...

class AndNot(BinaryQuery): ...
class AndMaybe(BinaryQuery): ...

class Every(Query):
    def __init__(self, fieldname: str | None = ..., boost: float = ...) -> None: ...

NullQuery: Query
