from whoosh.fields import Schema

class QueryParser:
    def __init__(self, fieldname: str | None, schema: Schema) -> None: ...

class MultifieldParser(QueryParser):
    def __init__(self, fieldnames: list[str], schema: Schema) -> None: ...
