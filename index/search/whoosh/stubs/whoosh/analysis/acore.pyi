class Token:
    text: str
    startchar: int
    endchar: int
    def copy(self) -> Token: ...
