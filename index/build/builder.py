"""Building and updating the index: scan, diff, analyse, write in batches.

Each batch is committed to Whoosh first and to the catalogue second; a file's new state is only
recorded with the catalogue commit. A build killed at any point therefore resumes where it
stopped: files whose batch had not reached the catalogue are simply analysed again (their Whoosh
documents are replaced by id, so nothing is indexed twice).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from threading import Event as CancelFlag
from typing import TYPE_CHECKING, Any

from index.build import parts
from index.ingest.fsnames import open_regular
from index.paths import SCHEMA_VERSION
from index.store.base import Analysed, Duplicate, FileState, Store

if TYPE_CHECKING:
    from index.search.backend import SearchBackend
    from index.store.corrections import Corrections

if TYPE_CHECKING:
    from concurrent.futures import Executor

ProgressFn = Callable[[str, int, int], None]
"""``progress(stage, done, total)``; stages: ``"scan"``, ``"index"``, ``"copies"``,
``"entities"``."""

BATCH_SIZE = 500  # files per commit at most
BATCH_ARTICLES = 4000  # articles per commit at most: a killed build loses less than this
POOL_THRESHOLD = 200  # this many files always go to worker processes
POOL_BYTES = 512 * 1024  # ... and so does this much text: a few JSON Lines files can be big
INCREMENTAL_FILES = 20  # up to this many new files update the entity table incrementally
MP_WRITER_ARTICLES = 1000  # batches this big are indexed by Whoosh's multi-process writer
QUIT_WAIT = 1.0  # seconds a quitting program waits for a cancelled build before leaving it


class Cancelled(Exception):
    """The build was asked to stop; everything committed so far is kept."""


@dataclass
class UpdateReport:
    """What an update did: articles added, updated, removed, skipped; files warned about."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    articles: int = 0
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    rebuilt: str | None = None
    duplicates: list[Duplicate] = field(default_factory=list)
    gone: set[str] = field(default_factory=set, repr=False)
    """Ids of removed files' articles: one that comes back from another file was moved."""
    notices: list[str] = field(default_factory=list)
    """What the user should know besides the figures (the index was rebuilt and why, broken
    corrections, what opening the index found), one line each."""

    @property
    def errors(self) -> int:
        """How many warnings."""
        return len(self.warnings)

    def summary(self) -> str:
        """One line; every figure counts articles (warnings count files or lines)."""
        text = (
            f"{self.articles} articles: {self.added} added, {self.updated} updated, "
            f"{self.removed} removed, {self.unchanged} unchanged"
        )
        if self.duplicates:
            text += f", {len(self.duplicates)} skipped as duplicates"
        text += f"; {self.errors} warning{'' if self.errors == 1 else 's'} ({self.seconds:.1f} s)"
        return f"index rebuilt ({self.rebuilt}); {text}" if self.rebuilt else text


@dataclass(frozen=True, slots=True)
class _Job:
    root: Path
    label: str
    source: str
    state: FileState
    metadata: dict[str, Any] | None
    part: tuple[int, int, int] | None = None
    """(first byte, end byte, first line) of a part of a big JSON Lines file; None: all of it."""


@dataclass(frozen=True, slots=True)
class _Done:
    label: str
    source: str
    state: FileState
    analysed: tuple[Analysed, ...]
    warnings: tuple[str, ...]
    last: bool = True  # the file's last part (or the whole file)


def root_label(root: Path) -> str:
    """How a corpus root is named in the catalogue: its resolved path."""
    return str(root.resolve())


def file_state(path: Path, st: os.stat_result | None = None) -> FileState:
    st = st or path.stat()
    sha1 = hashlib.sha1()
    with open_regular(path) as handle:  # never waits on a FIFO; in blocks: 50 MB not held
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha1.update(block)
    digest = sha1.hexdigest()
    return FileState(st.st_size, st.st_mtime_ns, digest)


def _metadata_for(metadata: dict[str, Any], source: str) -> dict[str, Any] | None:
    entry = metadata.get(source)
    return entry if isinstance(entry, dict) else None


@dataclass
class ScanResult:
    jobs: list[_Job] = field(default_factory=list)
    removed: list[tuple[str, str]] = field(default_factory=list)
    touched: list[tuple[str, str, FileState]] = field(default_factory=list)
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)


def scan(roots: Sequence[Path], catalogue: Store, force: bool = False) -> ScanResult:
    """Compare the files on disk with the catalogue.

    A file whose size and mtime are unchanged is trusted without reading it; otherwise it is
    hashed, and only re-analysed if its content (or its editorial metadata) changed. Files that
    were touched but not changed are listed in ``touched`` so their new mtime can be recorded.
    """
    from index.ingest import corpus as ingest

    known = catalogue.file_states()
    seen: set[tuple[str, str]] = set()
    result = ScanResult()
    for root in roots:
        if not root.is_dir():
            continue
        label = root_label(root)
        metadata, meta_warnings = ingest.load_metadata(root)
        result.warnings.extend(str(w) for w in meta_warnings)
        meta_digest = hashlib.sha1(
            json.dumps(metadata, sort_keys=True, default=str).encode()
        ).hexdigest()
        meta_changed = catalogue.get_meta(f"metadata:{label}") != meta_digest
        if meta_changed:
            catalogue.set_meta(f"metadata:{label}", meta_digest)
        skipped: list[ingest.IngestWarning] = []
        for path in ingest.corpus_files(root, skipped):
            source = path.relative_to(root).as_posix()
            key = (label, source)
            seen.add(key)
            old = known.get(key)
            entry = _metadata_for(metadata, source)
            recheck = force or (meta_changed and entry is not None)
            try:
                st = path.stat()
                if old and not recheck and (old.size, old.mtime_ns) == (st.st_size, st.st_mtime_ns):
                    result.unchanged += 1
                    continue
                state = file_state(path, st)
            except OSError as exc:
                result.warnings.append(f"{path}: cannot read ({exc.strerror or exc})")
                continue
            if old and not recheck and old.sha1 == state.sha1:
                result.touched.append((label, source, state))
                result.unchanged += 1
                continue
            result.jobs.append(_Job(root, label, source, state, entry))
        result.warnings.extend(str(w) for w in skipped)
    result.removed = [key for key in known if key not in seen]
    return result


def analyse(job: _Job) -> _Done:
    """Parse one file and analyse its articles (runs in a worker process for big builds)."""
    from index.analysis import entities, events, quotes
    from index.ingest import corpus as ingest
    from index.ingest import passages
    from index.search.analyzer import joined_field

    path = job.root / job.source
    state = job.state
    if job.part is not None:
        start, end, first_line = job.part
        articles, warnings = ingest.parse_jsonl_part(path, job.root, start, end, first_line)
    else:
        articles, warnings = ingest.parse_file(
            path, job.root, {job.source: job.metadata} if job.metadata else None
        )
    notes = [str(w) for w in warnings]
    analysed = []
    for parsed in articles:
        # Bounded before any analysis: time and memory then stay bounded whatever one file
        # holds (see index.ingest.passages).
        where = f"{path}:{parsed.line}" if parsed.line is not None else str(path)
        article, cut = passages.bounded(parsed, where)
        if cut is not None:
            notes.append(cut)
        mentions = tuple(entities.extract(article.text))
        found = list(events.extract_events(article, mentions))
        published = events.publication_event(article)
        if published is not None:
            found.insert(0, published)
        said = tuple(quotes.extract_quotes(article, mentions))
        joined = joined_field(article.title, article.standfirst, article.paragraphs)
        analysed.append(Analysed(job.label, article, mentions, tuple(found), said, joined))
    last = job.part is None or job.part[1] >= state.size
    return _Done(job.label, job.source, state, tuple(analysed), tuple(notes), last)


def _use_pool(jobs: Sequence[_Job], workers: int) -> bool:
    """Whether worker processes pay for their start-up (about 0.3 s) on these jobs."""
    if workers <= 1 or len(jobs) < 2:
        return False
    return len(jobs) >= POOL_THRESHOLD or sum(j.state.size for j in jobs) >= POOL_BYTES


def _pool_of(workers: int) -> Callable[[], Executor] | None:
    """What starts the build's worker processes for a later stage (None: one process)."""
    if workers <= 1:
        return None
    from index.build.procs import start_pool

    return lambda: start_pool(workers)


def _results(jobs: list[_Job], workers: int) -> Iterator[_Done]:
    if workers > 1:
        jobs = [part for job in jobs for part in parts.cut(job)]
    if not _use_pool(jobs, workers):
        yield from parts.whole_files(map(analyse, jobs))
        return
    # Small chunks keep both workers busy to the end when files differ in size; many tiny
    # files still go 16 at a time so that pickling round trips stay few.
    chunksize = max(1, min(16, len(jobs) // (workers * 16)))
    # Imported here: the pool machinery costs start-up time and most runs find nothing to do.
    from index.build.procs import start_pool

    pool = start_pool(workers)
    try:
        yield from parts.whole_files(pool.map(analyse, jobs, chunksize=chunksize))
    finally:
        # On cancel (or any error) drop the queued files at once: the default shutdown would
        # wait for every one of them, and the app could not quit until then.
        pool.shutdown(wait=True, cancel_futures=True)


def run(
    roots: Sequence[Path],
    catalogue: Store,
    fulltext: SearchBackend,
    progress: ProgressFn | None = None,
    cancel: CancelFlag | None = None,
    force: bool = False,
    workers: int | None = None,
    corrections: Path | None = None,
) -> UpdateReport:
    """Bring the catalogue and the Whoosh index up to date with the files under ``roots``.

    ``corrections`` is the user's entity corrections file, applied to the entity table.
    """
    started = time.perf_counter()
    report = UpdateReport()
    notify = progress or (lambda stage, done, total: None)
    notify("scan", 0, 1)
    if catalogue.get_meta("schema") is None:
        # Recorded before the first batch: a first build killed part-way is then resumed from
        # its last commit instead of being taken for an unrecorded one and redone from zero.
        catalogue.set_meta("schema", str(SCHEMA_VERSION))
    found = scan(roots, catalogue, force)
    report.unchanged, report.warnings = found.unchanged, found.warnings
    jobs, removed = found.jobs, found.removed
    known = catalogue.file_states()
    total = len(jobs)
    notify("index", 0, total)
    if removed:
        gone = catalogue.ids_for_sources(removed)
        fulltext.write_batch(gone, [])
        catalogue.commit_batch([], [], removed)
        report.removed = len(gone)
        report.gone.update(gone)
    if found.touched:
        catalogue.record_states(found.touched)
    workers = workers or min(2, os.cpu_count() or 1)
    batch: list[_Done] = []
    pending = 0
    # A few new files into an index with entities: fold them in instead of re-aggregating.
    fresh: list[Analysed] | None = (
        [] if len(jobs) <= INCREMENTAL_FILES and catalogue.count() else None
    )
    for done, result in enumerate(_results(jobs, workers), 1):
        batch.append(result)
        if fresh is not None:
            fresh.extend(result.analysed)
        pending += len(result.analysed)
        if len(batch) >= BATCH_SIZE or pending >= BATCH_ARTICLES:
            _commit(batch, catalogue, fulltext, known, report, workers)
            batch, pending = [], 0
        notify("index", done, total)
        if cancel is not None and cancel.is_set():
            # Stop at once: committing the partial batch could take seconds (the user is
            # quitting). Its files were never recorded, so the next update analyses them again.
            kept = done - len(batch)
            raise Cancelled(f"stopped after {kept} of {total} files; progress up to there is saved")
    _commit(batch, catalogue, fulltext, known, report, workers)
    revived = _revive_duplicates(roots, catalogue, fulltext, known, report)
    if fresh is not None and revived:
        fresh.extend(a for d in revived for a in d.analysed)
    # Nothing changed: skip the scan for stale copy entries (50 ms at 20,000 articles).
    if jobs or removed or revived or not catalogue.copies_complete():
        stop = cancel.is_set if cancel is not None else None
        catalogue.update_copies(
            lambda done, total: notify("copies", done, total), stop, _pool_of(workers)
        )
        if cancel is not None and cancel.is_set():
            raise Cancelled("stopped while finding copies; the next update finishes them")
    if fresh is not None and fresh and not removed and not report.updated:
        add_entities(catalogue, fresh, corrections)
    elif jobs or removed or not catalogue.has_entities():
        refresh_entities(catalogue, notify, corrections)
    report.articles = catalogue.count()
    report.unchanged = report.articles - report.added - report.updated
    report.seconds = time.perf_counter() - started
    return report


def _revive_duplicates(
    roots: Sequence[Path],
    catalogue: Store,
    fulltext: SearchBackend,
    known: dict[tuple[str, str], FileState],
    report: UpdateReport,
) -> list[_Done]:
    """Analyse again the files whose skipped duplicates lost their kept copy (its file was
    removed or changed), so that the article comes back from the copy that remains."""
    by_label = {root_label(root): root for root in roots if root.is_dir()}
    jobs = []
    for label, source in catalogue.orphaned_duplicates():
        root = by_label.get(label)
        if root is None:
            continue
        try:
            jobs.append(_Job(root, label, source, file_state(root / source), None))
        except OSError as exc:
            report.warnings.append(f"{root / source}: cannot read ({exc.strerror or exc})")
    if not jobs:
        return []
    from index.ingest import corpus as ingest

    metadata = {r: ingest.load_metadata(r)[0] for r in {job.root for job in jobs}}
    done = [
        analyse(_Job(j.root, j.label, j.source, j.state, _metadata_for(metadata[j.root], j.source)))
        for j in jobs
    ]
    _commit(done, catalogue, fulltext, known, report)
    return done


def _without_duplicates(
    batch: Sequence[_Done], catalogue: Store
) -> tuple[list[Analysed], list[Duplicate]]:
    """The batch's articles that the corpus does not hold yet, and the others, named.

    An article is held when another file (or an earlier article of the batch) has the same id,
    that is the same URL or, without a URL, the same text; or has the same text where one of
    the two has no URL (a re-export that lost its links). Two records with their own URLs and
    one text are two publications of a story (a wire copy on another site): both are kept.
    Articles of the batch's own files are being replaced, so they do not count.
    """
    from index.ingest.corpus import text_key

    replaced = {(d.label, d.source) for d in batch}
    analysed = [a for d in batch for a in d.analysed]
    keys = [text_key(a.article.paragraphs) for a in analysed]
    by_id, by_text = catalogue.holders((a.article.id for a in analysed), keys)
    by_id = {k: v for k, v in by_id.items() if v not in replaced}
    by_text = {k: v for k, v in by_text.items() if (v[1], v[2]) not in replaced}
    kept: list[Analysed] = []
    duplicates: list[Duplicate] = []
    for item, key in zip(analysed, keys, strict=True):
        article = item.article
        held = by_text.get(key)
        if article.id in by_id:
            kept_id, source = article.id, by_id[article.id][1]
            reason = "same URL" if article.url else "same text"
        elif held is not None and not (article.url and held[3]):
            kept_id, _root, source, _has_url = held
            reason = "same text"
        else:
            kept.append(item)
            by_id[article.id] = (item.root, article.source)
            if held is None or (held[3] and not article.url):
                by_text[key] = (article.id, item.root, article.source, bool(article.url))
            continue
        duplicates.append(
            Duplicate(
                item.root, article.source, article.line, article.title, reason, kept_id, source
            )
        )
    return kept, duplicates


def _commit(
    batch: Sequence[_Done],
    catalogue: Store,
    fulltext: SearchBackend,
    known: dict[tuple[str, str], FileState],
    report: UpdateReport,
    workers: int = 1,
) -> None:
    if not batch:
        return
    sources = [(d.label, d.source) for d in batch]
    catalogue_ids = {key: catalogue.ids_for_sources([key]) for key in sources}
    old_ids = [aid for ids in catalogue_ids.values() for aid in ids]
    analysed, duplicates = _without_duplicates(batch, catalogue)
    # Big batches become segments of their own; small ones (an added article) merge the small
    # segments as usual, so a long series of updates does not pile up segments.
    # Whoosh indexing is pure Python and was the serial bottleneck of a big build: big batches
    # go to its multi-process writer (one segment per process, no merge), sharing the cores
    # with the analysis workers.
    big = len(analysed) >= MP_WRITER_ARTICLES
    fulltext.write_batch(old_ids, analysed, procs=workers if big else 1, merge=len(analysed) < 500)
    catalogue.commit_batch(
        [(d.label, d.source, d.state) for d in batch], analysed, duplicates=duplicates
    )
    kept = {(a.root, a.article.source, a.article.id) for a in analysed}
    for d in batch:
        report.warnings.extend(d.warnings)
        # Counted by article: an id the file had before is updated; an edited article without
        # a URL has a new id, and takes the place of one the file lost.
        old = set(catalogue_ids.get((d.label, d.source), ()))
        new = {a.article.id for a in d.analysed if (d.label, d.source, a.article.id) in kept}
        moved = (new - old) & report.gone  # its file was renamed or moved: not new, not gone
        report.removed -= len(moved)
        fresh = new - old - moved
        edited = min(len(fresh), len(old - new))
        report.updated += len(new & old) + edited
        report.added += len(fresh) - edited
        report.removed += len(old - new) - edited
    report.duplicates.extend(duplicates)


def refresh_entities(
    catalogue: Store, notify: ProgressFn | None = None, corrections_path: Path | None = None
) -> None:
    """Recompute the corpus-wide entity table (after an update or a user correction), with
    the corrections in ``corrections_path`` (none if None), or a shared database's own."""
    from index.analysis import entities

    if notify:
        notify("entities", 0, 1)
    corrections = _corrections(catalogue, corrections_path)
    per_article = {aid: (text, mentions) for aid, text, mentions in catalogue.iter_mentions()}
    merged = entities.aggregate(per_article, corrections)
    canon = entities.canonical_map(merged)
    types = {e.name: e.type for e in merged}
    counts: dict[str, dict[str, tuple[str, int]]] = {}
    for aid, (_text, mentions) in per_article.items():
        article_counts: dict[str, tuple[str, int]] = {}
        for m in mentions:
            name = canon.get(m.name)
            if name is None:
                continue  # hidden by the user
            kind, n = article_counts.get(name, (types.get(name, m.type), 0))
            article_counts[name] = (kind, n + 1)
        counts[aid] = article_counts
    catalogue.replace_entities(merged, counts)
    if notify:
        notify("entities", 1, 1)


_NOT_ALNUM = re.compile(r"[\W_]+")


def _fold(name: str) -> str:
    return _NOT_ALNUM.sub("", name.casefold())


def _corrections(catalogue: Store, path: Path | None) -> Corrections:
    """The entity corrections to apply: a shared database's own (everyone's, see
    index.store.postgres.corrections), else those in ``path``; a broken file is applied as
    none (the library says so)."""
    from index.store.corrections import Corrections

    shared: Callable[[], Corrections] | None = getattr(catalogue, "corrections", None)
    if shared is not None:
        return shared()
    return Corrections.load(path)[0] if path is not None else Corrections()


def add_entities(
    catalogue: Store, added: Sequence[Analysed], corrections_path: Path | None = None
) -> None:
    """Fold the entities of a few newly added articles into the corpus-wide table.

    Re-aggregating 20,000 articles takes seconds; adding one article should not. The new
    articles are aggregated on their own (with the user's corrections), then each new entity
    joins the existing one it names (by name, alias or folded spelling) or is added as new.
    A later full refresh (any update that changes or removes files) gives the same table up to
    rapidfuzz near-matches between a new and an old spelling.
    """
    from index.analysis import entities
    from index.models import Entity

    corrections = _corrections(catalogue, corrections_path)
    per_article = {a.article.id: (a.article.text, a.mentions) for a in added}
    new = entities.aggregate(per_article, corrections)
    # Names and aliases only: the article lists of 60,000 entities are loaded for the few
    # entities the new articles join.
    names = catalogue.entity_aliases()
    canon: dict[str, str] = {}  # as entities.canonical_map: names win over aliases
    for name, known in names:
        for alias in known:
            canon.setdefault(alias, name)
    canon.update((name, name) for name, _known in names)
    by_fold: dict[str, str] = {}
    for alias, name in canon.items():
        by_fold.setdefault(_fold(alias), name)
    targets = {e.name: canon.get(e.name) or by_fold.get(_fold(e.name)) for e in new}
    existing = catalogue.entities_named(t for t in targets.values() if t)
    target_of: dict[str, str] = {}
    changed: dict[str, Entity] = {}
    for e in new:
        target = targets[e.name]
        old = (changed.get(target) or existing.get(target)) if target else None
        if old is None:
            changed[e.name] = e
            target_of[e.name] = e.name
            continue
        aliases = [a for a in dict.fromkeys((*old.aliases, e.name, *e.aliases)) if a != old.name]
        articles = tuple(sorted({*old.articles, *e.articles}))
        changed[old.name] = Entity(
            old.name, old.type, tuple(aliases), articles, old.mentions + e.mentions
        )
        target_of[e.name] = old.name
    new_canon = entities.canonical_map(new)
    counts: dict[str, dict[str, tuple[str, int]]] = {}
    for aid, (_text, mentions) in per_article.items():
        article_counts: dict[str, tuple[str, int]] = {}
        for m in mentions:
            target = target_of.get(new_canon.get(m.name, ""))
            if target is None:
                continue  # hidden by the user
            kind, n = article_counts.get(target, (changed[target].type, 0))
            article_counts[target] = (kind, n + 1)
        counts[aid] = article_counts
    catalogue.upsert_entities(list(changed.values()), counts)
