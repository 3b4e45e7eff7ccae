from collections.abc import Sequence

from whoosh.matching import Matcher

class W3LeafMatcher(Matcher):
    _ids: Sequence[int]
    _weights: Sequence[float]
    _i: int
    _blocklength: int
    def _read_ids(self) -> None: ...
    def _read_weights(self) -> None: ...
    def _next_block(self) -> None: ...

class W3PerDocReader:
    def has_column(self, fieldname: str) -> bool: ...
    def _cached_reader(self, fieldname: str, column: object) -> object | None: ...

LENGTHS_COLUMN: object

def _lenfield(fieldname: str) -> str: ...
