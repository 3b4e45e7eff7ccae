from typing import Any

from whoosh.filedb.filestore import FileStorage

class CompoundStorage(FileStorage):
    is_closed: bool
    _source: Any
    def range(self, name: str) -> tuple[int, int]: ...
    def open_file(self, name: str, *args: Any, **kwargs: Any) -> Any: ...
