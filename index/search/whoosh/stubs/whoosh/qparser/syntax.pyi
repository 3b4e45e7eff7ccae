from whoosh.qparser import QueryParser
from whoosh.query import Query

class SyntaxNode:
    startchar: int
    endchar: int
    def set_fieldname(self, name: str, override: bool = ...) -> SyntaxNode: ...
    def set_boost(self, boost: float) -> SyntaxNode: ...
    def query(self, parser: QueryParser) -> Query | None: ...

class TextNode(SyntaxNode):
    text: str
    def __init__(self, text: str) -> None: ...

class WordNode(TextNode): ...

class RangeNode(SyntaxNode):
    def __init__(
        self, start: str | None, end: str | None, startexcl: bool, endexcl: bool
    ) -> None: ...
