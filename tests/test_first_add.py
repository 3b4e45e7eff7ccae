"""The first article added in a process (issue 20: under 0.5 s, the first one included): it
used to import datasketch, which loads scipy (half a second quiet, seconds on a busy machine),
only to make the MinHash signature of one article, and built the full gazetteer. The signature
is now made with numpy alone, the same one datasketch makes; the gazetteer is read from the
cache folder when a previous process built it."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

import corpus
from index import paths
from index.analysis import copies
from index.library import open_library


def test_the_minhash_is_the_one_datasketch_makes() -> None:
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=copies.LSH_THRESHOLD, num_perm=copies.NUM_PERM, weights=(0.1, 0.9))
    assert copies.bands() == (lsh.b, lsh.r)
    rng = random.Random(20)
    for size in (1, 2, 5, 40, 300, 3000):
        shingles = {rng.randbytes(rng.randint(1, 60)) for _ in range(size)}
        theirs = MinHash(num_perm=copies.NUM_PERM, seed=copies.SEED)
        theirs.update_batch(list(shingles))
        mine = copies.minhash(shingles)
        assert mine.dtype == theirs.hashvalues.dtype
        assert mine.tolist() == theirs.hashvalues.tolist(), size


ADD = """import json, sys
from pathlib import Path
from index import paths
from index.library import open_library
corpus, index_dir, new = (Path(a) for a in sys.argv[1:4])
settings = paths.resolve(corpus, index_dir, index_dir.parent / "notes.md")
library = open_library(settings)
before = set(sys.modules)
report = library.add([new])
print(json.dumps({"added": report.added, "modules": sorted(set(sys.modules) - before)}))
"""


def test_adding_one_article_imports_neither_datasketch_nor_scipy(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n, topic in enumerate(("radar", "tourism", "boycott")):
        record = {"title": f"The {topic} story", "text": f"Seoul said the {topic} story grew."}
        (corpus / f"{n}.jsonl").write_text(json.dumps(record) + "\n")
    index_dir = tmp_path / "ix"
    open_library(paths.resolve(corpus, index_dir, tmp_path / "notes.md")).update()
    new = tmp_path / "new.md"
    new.write_text("---\ntitle: Seongju battery ready\n---\n\nThe battery in Seongju is ready.\n")
    # A fresh interpreter: this test session has imported everything already.
    done = subprocess.run(
        [sys.executable, "-c", ADD, str(corpus), str(index_dir), str(new)],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(done.stdout.splitlines()[-1])
    assert result["added"] == 1
    loaded = {m.split(".")[0] for m in result["modules"]}
    assert "index.analysis.copies" in result["modules"]  # the add did find its copies
    assert not loaded & {"datasketch", "scipy"}, sorted(loaded & {"datasketch", "scipy"})


def test_the_gazetteer_built_once_is_read_by_the_next_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Building the full gazetteer took the first add of a process (and each build worker)
    about half a second quiet, seconds on a busy machine: the next process reads it."""
    from index.analysis.entities import gazcache, gazetteer

    monkeypatch.setattr(gazcache, "_folder", tmp_path / "cache")  # what use_folder sets
    built = []

    def counting(*args: object, **kwargs: object) -> gazetteer.Gazetteer:
        built.append(1)
        return gazetteer.build()

    first = gazcache.load_or_build(counting)
    again = gazcache.load_or_build(counting)  # as a new process would, without get()'s cache
    assert built == [1]
    assert again == first
    assert again.entries == first.entries and again.common_words == first.common_words
    # Another gazetteer YAML (the user's domain names changed) is another file: built again.
    yaml = tmp_path / "gazetteer.yaml"
    yaml.write_bytes(corpus.gazetteer_path().read_bytes() + b"\n# edited\n")
    monkeypatch.setattr(corpus, "gazetteer_path", lambda: yaml)
    gazcache.load_or_build(counting)
    assert built == [1, 1]
    # A damaged file is built again, not trusted.
    for saved in (tmp_path / "cache").glob("gazetteer-*.pickle"):
        saved.write_bytes(b"not a pickle")
    assert gazcache.load_or_build(counting) == first
    assert built == [1, 1, 1]


def test_the_gazetteer_is_kept_in_the_runs_cache_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The folder comes from the run's Settings (flag, environment or config file), which a
    build hands on; nothing in index/ reads the environment for it."""
    from index.analysis.entities import gazcache, gazetteer

    monkeypatch.setattr(gazcache, "_folder", None)
    gazetteer.get.cache_clear()  # this process built one already: the build gets it again
    chosen = tmp_path / "chosen-cache"
    corpus_dir = Path(corpus.__file__).parent / "articles"
    settings, _problems = paths.load_settings(
        corpus_dir, tmp_path / "ix", environ={paths.ENV_CACHE_DIR: str(chosen)}
    )
    open_library(settings).update(workers=1)
    assert gazcache.cache_folder() == chosen
    assert list(chosen.glob("gazetteer-*.pickle"))


def test_a_second_equal_dictionary_is_not_compared_with_the_first() -> None:
    """The gazetteer read back from its file has a dictionary equal to, but not the same as,
    one built earlier in the process: the common-word cache compared the two (210,770 words)
    on every lookup, and a 1 MB article's entities took 43 s instead of 0.15 s."""
    from index.analysis.entities import rules

    compared: list[int] = []

    class Counting(frozenset[str]):
        __hash__ = frozenset.__hash__

        def __eq__(self, other: object) -> bool:
            compared.append(1)
            return frozenset.__eq__(self, other)

    first, second = Counting({"bank", "plan"}), Counting({"bank", "plan"})
    for common in (first, second, first, second):
        assert rules.is_common("banks", common) and rules.is_common("planned", common)
        assert not rules.is_common("seongju", common)
    assert compared == []
