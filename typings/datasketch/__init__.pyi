from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

class MinHash:
    hashvalues: npt.NDArray[np.uint64]
    def __init__(self, num_perm: int = 128, seed: int = 1) -> None: ...
    def update_batch(self, b: Iterable[bytes]) -> None: ...

class MinHashLSH:
    b: int
    r: int
    def __init__(
        self,
        threshold: float = 0.9,
        num_perm: int = 128,
        weights: tuple[float, float] = (0.5, 0.5),
    ) -> None: ...
