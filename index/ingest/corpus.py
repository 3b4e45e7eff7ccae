"""Turn the files of a corpus folder into clean :class:`~index.models.Article` records.

Entry points: :func:`corpus_files` lists a folder, :func:`parse_file` reads one file of any
supported kind, :func:`load_metadata` reads the editorial metadata beside the files, and
:func:`ingest_root` does all three. Bad input never stops a run: a file that cannot be used
becomes one :class:`IngestWarning` naming it and the reason.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from index.ingest import outlets
from index.ingest.dates import coerce_date
from index.ingest.frontmatter import parse_front_matter, parse_markdown
from index.ingest.fsnames import open_regular, read_regular, shown
from index.ingest.jsonl import parse_jsonl
from index.ingest.rawtext import parse_raw_text
from index.ingest.records import Draft, ParseProblem
from index.ingest.textclean import clean_line
from index.models import Article
from index.store.yamlfile import load_yaml

SUPPORTED_SUFFIXES: frozenset[str] = frozenset({".txt", ".md", ".markdown", ".jsonl"})
METADATA_NAME = "metadata.yaml"
EDITORIAL_FIELDS = ("title", "outlet", "author", "published", "section", "standfirst", "url")
MAX_FILE_BYTES = 64 * 1024 * 1024
# Bytes read of a one-article file: well over passages.MAX_ARTICLE characters with markup.
MAX_ARTICLE_BYTES = 8 * 1024 * 1024
_SNIFF = 8192
_NON_TEXT = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\ufffd]")
_WORDS = re.compile(r"\w+")


@dataclass(frozen=True)
class IngestWarning:
    """Why a file (or one line of a JSON Lines file) was skipped: ``path[:line]: reason``."""

    path: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.reason}"


def article_id(url: str | None, paragraphs: Sequence[str]) -> str:
    """The id of an article, whichever file holds it: 12 lowercase hex characters.

    It hashes the article's normalised URL when it has one (the same story exported twice, or
    with tracking parameters, keeps one id), else its normalised text (:func:`text_key`). The
    file name, the line and a record's own ``id`` field play no part: renaming, moving or
    re-exporting a file keeps every id, and ``id`` fields such as ``1`` repeat across exports.
    """
    key = outlets.url_key(url)
    material = f"url\0{key}" if key else f"text\0{text_key(paragraphs)}"
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:12]


def text_key(paragraphs: Sequence[str]) -> str:
    """A hash of an article's words (case-folded, punctuation and layout ignored): two copies
    of one text share it however their paragraphs were split. 16 hex characters."""
    words = _WORDS.findall(" ".join(paragraphs).casefold())
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()[:16]


def corpus_files(root: Path, skipped: list[IngestWarning] | None = None) -> Iterator[Path]:
    """Every regular file under root, sorted, skipping hidden files/folders and the metadata YAML.

    Files of unknown kinds are yielded too, so that :func:`parse_file` can warn about them.
    Each file or folder skipped here (hidden, not a regular file, a dangling link, a link to a
    folder) is added to ``skipped`` with the reason, when a list is given.
    """
    found: list[tuple[str, Path]] = []
    passed: list[IngestWarning] = []

    def unreadable(exc: OSError) -> None:  # os.walk would skip such a folder without a word
        reason = (exc.strerror or str(exc)).lower()
        where = shown(exc.filename) if exc.filename else shown(root)
        passed.append(IngestWarning(where, f"cannot read this folder ({reason}); skipped"))

    for folder, subfolders, names in os.walk(root, onerror=unreadable):
        base = Path(folder)
        kept = []
        for name in sorted(subfolders):
            path = base / name
            if name.startswith("."):
                passed.append(
                    IngestWarning(shown(path), "hidden folder skipped (name starts with a dot)")
                )
            elif path.is_symlink():
                passed.append(IngestWarning(shown(path), "link to a folder, not followed; skipped"))
            else:
                kept.append(name)
        subfolders[:] = kept
        for name in names:
            path = base / name
            if base == root and name == METADATA_NAME:
                continue
            reason = _skip_reason(path, name)
            if reason:
                passed.append(IngestWarning(shown(path), reason))
            else:
                found.append((path.relative_to(root).as_posix(), path))
    if skipped is not None:
        skipped.extend(sorted(passed, key=lambda w: w.path))
    yield from (path for _, path in sorted(found))


def _skip_reason(path: Path, name: str) -> str | None:
    """Why the corpus scan does not read this entry of a folder, or None."""
    if name.startswith("."):
        return "hidden file skipped (name starts with a dot)"
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "link to nothing (its target is missing); skipped"
    except OSError as exc:
        return f"cannot read ({(exc.strerror or str(exc)).lower()}); skipped"
    if stat.S_ISREG(mode):
        return None
    link = "link to " if path.is_symlink() else ""
    if stat.S_ISFIFO(mode):
        return f"{link}a FIFO (named pipe), not a regular file; skipped"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return f"{link}a device, not a regular file; skipped"
    if stat.S_ISSOCK(mode):
        return f"{link}a socket, not a regular file; skipped"
    return f"{link}not a regular file; skipped"


def _source(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name


def decode(raw: bytes) -> str:
    """Bytes to text: UTF-8 (with or without BOM), UTF-16 with a BOM, then cp1252, then latin-1.

    Raises :class:`ParseProblem` for an empty or binary file.
    """
    if not raw.strip():
        raise ParseProblem("empty file")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ParseProblem(f"invalid UTF-16 text ({exc.reason})") from exc
    if b"\0" in raw[:_SNIFF]:
        raise ParseProblem("binary file (contains NUL bytes)")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = raw.decode("latin-1")
    sample = text[:_SNIFF]
    if len(_NON_TEXT.findall(sample)) > len(sample) * 0.05:
        raise ParseProblem("binary file (mostly non-text bytes)")
    return text


def _text(value: Any) -> str | None:
    cleaned = clean_line(value) if isinstance(value, str) else ""
    return cleaned or None


def _finish(draft: Draft, source: str, editorial: Mapping[str, Any]) -> Article | str:
    """Clean a draft, apply editorial metadata, and give it an id; or say why it is unusable."""
    title, outlet, url = outlets.resolve(
        _text(draft.title) or "", _text(draft.outlet), _text(draft.url)
    )
    fields: dict[str, Any] = {
        "title": title,
        "outlet": outlet,
        "author": _text(draft.author),
        "section": _text(draft.section),
        "standfirst": _text(draft.standfirst),
        "url": url,
        "published": draft.published,
        "date_inferred": draft.date_inferred,
    }
    applied: list[str] = []
    for name in EDITORIAL_FIELDS:
        if name not in editorial:
            continue
        value = coerce_date(editorial[name]) if name == "published" else _text(editorial[name])
        if value is not None:
            fields[name] = value
            applied.append(name)
            if name == "published":
                fields["date_inferred"] = False  # an editor's date is a decision, not a guess
    paragraphs = tuple(p for p in (clean_line(p) for p in draft.paragraphs) if p)
    if not fields["title"]:
        return "no title found"
    if not paragraphs:
        return "no body text found"
    return Article(
        id=article_id(fields["url"], paragraphs),
        paragraphs=paragraphs,
        source=source,
        line=draft.line,
        editorial=tuple(applied),
        **fields,
    )


def parse_file(
    path: Path, root: Path, metadata: Mapping[str, Mapping[str, Any]] | None = None
) -> tuple[list[Article], list[IngestWarning]]:
    """Parse one file (any supported kind). Never raises for bad input: returns ([], [warning])."""
    source = _source(path, root)
    where = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        kinds = ", ".join(sorted(SUPPORTED_SUFFIXES))
        what = f"'{suffix}'" if suffix else "without an extension"
        return [], [IngestWarning(where, f"unsupported file type {what} (expected {kinds})")]
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ParseProblem(f"file larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
        # One article per file unless JSON Lines: read no more than it can use (see passages).
        # A FIFO put there since the scan must not hang: only regular files are read.
        text = decode(read_regular(path) if suffix == ".jsonl" else _head(path))
        if suffix == ".jsonl":
            return _parse_jsonl(text, source, where)
        draft = parse_markdown(text) if suffix in {".md", ".markdown"} else _parse_txt(text)
    except ParseProblem as exc:
        return [], [IngestWarning(where, str(exc))]
    except OSError as exc:
        return [], [IngestWarning(where, f"cannot read: {exc.strerror or exc}")]
    except RecursionError:  # e.g. a YAML alias that contains itself: `title: &a [*a]`
        return [], [IngestWarning(where, "structure nested too deeply (or refers to itself)")]
    article = _finish(draft, source, (metadata or {}).get(source, {}))
    if isinstance(article, str):
        return [], [IngestWarning(where, article)]
    return [article], []


def _head(path: Path) -> bytes:
    """The first :data:`MAX_ARTICLE_BYTES` of a file, cut after a space or line end (never
    inside a character): a 50 MB article is not read whole only to be cut to its start."""
    raw = read_regular(path, MAX_ARTICLE_BYTES + 1)
    if len(raw) <= MAX_ARTICLE_BYTES:
        return raw
    raw = raw[:MAX_ARTICLE_BYTES]
    cut = max(raw.rfind(b" ", -4096), raw.rfind(b"\n", -4096))
    raw = raw[: cut + 1] if cut > 0 else raw
    return raw[: len(raw) & ~1] if raw.startswith((b"\xff\xfe", b"\xfe\xff")) else raw


def _parse_txt(text: str) -> Draft:
    return parse_front_matter(text) or parse_raw_text(text)


def parse_jsonl_part(
    path: Path, root: Path, start: int, end: int, first_line: int
) -> tuple[list[Article], list[IngestWarning]]:
    """The articles of bytes ``start`` to ``end`` of a UTF-8 JSON Lines file, a part that starts
    on line ``first_line`` and ends after a line end: parts of one big file are analysed in
    parallel (see index.build.builder). Together they give what :func:`parse_file` gives for
    the file, except its "no articles found" warning. Never raises for bad input."""
    where = str(path)
    try:
        with open_regular(path) as handle:
            handle.seek(start)
            raw = handle.read(end - start)
        text = raw.decode("utf-8-sig" if start == 0 else "utf-8")
    except OSError as exc:
        return [], [IngestWarning(where, f"cannot read: {exc.strerror or exc}")]
    except UnicodeDecodeError as exc:  # changed since it was found to be UTF-8
        return [], [IngestWarning(where, f"changed while being read ({exc.reason})")]
    return _parse_jsonl(text, _source(path, root), where, first_line, whole=False)


def _parse_jsonl(
    text: str, source: str, where: str, first_line: int = 1, whole: bool = True
) -> tuple[list[Article], list[IngestWarning]]:
    articles: list[Article] = []
    warnings: list[IngestWarning] = []
    for number, result in parse_jsonl(text, first_line):
        done = _finish(result, source, {}) if isinstance(result, Draft) else result
        if isinstance(done, str):
            warnings.append(IngestWarning(where, f"line skipped: {done}", line=number))
        else:
            articles.append(done)
    if whole and not articles and not warnings:
        warnings.append(IngestWarning(where, "no articles found"))
    return articles, warnings


def load_metadata(root: Path) -> tuple[dict[str, dict[str, Any]], list[IngestWarning]]:
    """Editorial metadata for files under root (from root/metadata.yaml), keyed by relative path.

    Each entry is ``{relative path: {editorial: {field: value, note: why}}}``; the fields may
    also sit directly under the path. Returns the fields (and note) per path.
    """
    path = root / METADATA_NAME
    where = str(path)
    try:
        data, problem = load_yaml(path)
    except (ValueError, TypeError, RecursionError, yaml.YAMLError) as exc:
        return {}, [IngestWarning(where, f"invalid value: {exc} (file ignored)")]
    if problem is not None:
        return {}, [IngestWarning(where, f"{problem.reason} (file ignored)", line=problem.line)]
    result: dict[str, dict[str, Any]] = {}
    warnings: list[IngestWarning] = []
    for name, entry in data.items():
        fields = entry.get("editorial", entry) if isinstance(entry, dict) else None
        if not isinstance(fields, dict):
            warnings.append(IngestWarning(where, f"entry {name!r} is not a mapping (ignored)"))
            continue
        unknown = sorted(str(k) for k in fields if k not in (*EDITORIAL_FIELDS, "note"))
        if unknown:
            warnings.append(IngestWarning(where, f"entry {name!r}: unknown fields {unknown}"))
        if "published" in fields and not isinstance(coerce_date(fields["published"]), date):
            warnings.append(IngestWarning(where, f"entry {name!r}: 'published' is not a date"))
        result[str(name)] = {k: v for k, v in fields.items() if k in (*EDITORIAL_FIELDS, "note")}
    return result, warnings


def ingest_root(root: Path) -> tuple[list[Article], list[IngestWarning]]:
    """Every article under ``root`` with its editorial metadata applied, and every warning."""
    metadata, warnings = load_metadata(root)
    articles: list[Article] = []
    seen: set[str] = set()
    skipped: list[IngestWarning] = []
    for path in corpus_files(root, skipped):
        found, problems = parse_file(path, root, metadata)
        articles.extend(found)
        warnings.extend(problems)
        seen.add(_source(path, root))
    warnings.extend(skipped)
    for name in sorted(set(metadata) - seen):
        warnings.append(IngestWarning(str(root / METADATA_NAME), f"no file {name!r} to describe"))
    return articles, warnings
