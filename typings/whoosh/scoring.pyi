class BM25F:
    B: float
    K1: float
    _field_B: dict[str, float]

def bm25(idf: float, tf: float, fl: float, avgfl: float, B: float, K1: float) -> float: ...
