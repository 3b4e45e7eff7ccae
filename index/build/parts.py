"""One big JSON Lines file cut into parts that the build's workers analyse side by side.

The build's unit of work is a file: a corpus exported as one 20 MB JSON Lines file kept one
core busy and left the other idle (issue 20, "whatever the file layout"). Such a file is cut at
line ends into parts of about :data:`PART_BYTES`; each part is parsed and analysed on its own
(:func:`index.ingest.corpus.parse_jsonl_part`), and the results of a file's parts, which come
back in order, are joined again before anything is written: the file is still committed (and
its state recorded) as one, so a killed build resumes exactly as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from index.ingest.fsnames import read_regular

if TYPE_CHECKING:
    from index.build.builder import _Done as Done
    from index.build.builder import _Job as Job

PART_BYTES = 256 * 1024  # a JSON Lines file over twice this is analysed in parts this big


def cut(job: Job) -> list[Job]:
    """A big UTF-8 JSON Lines file cut at line ends into parts of about :data:`PART_BYTES`,
    which the workers analyse side by side (one 20 MB file would keep one core busy and leave
    the other idle); any other file is one job. A file that cannot be cut safely (another
    encoding, unreadable, too big to be read) stays whole: its own parse says what is wrong."""
    from index.ingest import corpus as ingest
    from index.ingest.records import ParseProblem

    size = job.state.size
    if (
        not job.source.lower().endswith(".jsonl")
        or size <= 2 * PART_BYTES
        or size > ingest.MAX_FILE_BYTES
    ):
        return [job]
    try:
        raw = read_regular(job.root / job.source)
        # The whole file's encoding decides how every part is read: cut only UTF-8 (which is
        # what decode() would choose for the whole), never UTF-16 or a cp1252 fallback.
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or len(raw) != size:
            return [job]
        raw.decode("utf-8-sig")
        ingest.decode(raw)
    except (OSError, UnicodeDecodeError, ParseProblem):
        return [job]
    parts = []
    start, line = 0, 1
    while start < size:
        newline = raw.find(b"\n", start + PART_BYTES)
        end = size if newline < 0 else newline + 1
        parts.append(replace(job, metadata=None, part=(start, end, line)))
        line += raw.count(b"\n", start, end)
        start = end
    return parts


def whole_files(parts: Iterable[Done]) -> Iterator[Done]:
    """The results of consecutive parts of one file joined into the file's result."""
    held: list[Done] = []
    for done in parts:
        if done.last and not held:
            yield done
            continue
        held.append(done)
        if done.last:
            analysed = tuple(a for d in held for a in d.analysed)
            # Never "no articles found": a file with only blank lines is not cut (see cut).
            notes = tuple(n for d in held for n in d.warnings)
            yield replace(done, analysed=analysed, warnings=notes)
            held = []
