from whoosh.qparser.syntax import TextNode, WordNode

class PhrasePlugin:
    class PhraseNode(TextNode):
        def __init__(self, text: str, textstartchar: int, slop: int = ...) -> None: ...

class PrefixPlugin:
    class PrefixNode(TextNode): ...

class WildcardPlugin:
    class WildcardNode(TextNode): ...

class FuzzyTermPlugin:
    class FuzzyTermNode(TextNode):
        def __init__(self, wordnode: WordNode, maxdist: int, prefixlength: int) -> None: ...
