from typing import Any

class StructFile:
    file: Any
    onclose: Any
    is_real: bool
    is_closed: bool
    def __init__(self, fileobj: Any, name: str | None = None, onclose: Any = None) -> None: ...
    def close(self) -> None: ...

class BufferFile(StructFile):
    _buf: Any
    _name: str | None
    def __init__(self, buf: Any, name: str | None = None, onclose: Any = None) -> None: ...
    def get(self, position: int, length: int) -> bytes: ...
