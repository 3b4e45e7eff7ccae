from collections.abc import Callable, Sequence
from typing import Any

from whoosh.codec.base import Segment
from whoosh.fields import Schema
from whoosh.reading import IndexReader

class _Lock:
    def release(self) -> None: ...

class IndexWriter:
    schema: Schema
    storage: object
    writelock: _Lock | None
    def add_document(self, **fields: Any) -> None: ...
    def add_reader(self, reader: IndexReader) -> None: ...
    def cancel(self) -> None: ...
    def commit(
        self,
        mergetype: Callable[[IndexWriter, list[Segment]], Sequence[Segment]] | None = ...,
        optimize: bool | None = ...,
        merge: bool | None = ...,
    ) -> None: ...
    def delete_by_term(self, fieldname: str, text: str) -> int: ...
