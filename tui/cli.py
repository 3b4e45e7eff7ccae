"""The ``thaad-tui`` command line.

Every command works on the same ``index`` layer as the app. Only launching the app imports
Textual, so scripted commands start fast. ``--json`` prints JSON Lines, one object per line.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from threading import Event as CancelFlag
from typing import NoReturn

from index import __version__, paths
from index.build.builder import Cancelled, UpdateReport
from index.ingest.fsnames import shown
from index.ingest.textclean import visible
from index.library import (
    IndexBusy,
    IndexWriteError,
    Library,
    QueryError,
    StoreUnavailable,
    mark_damaged,
    open_library,
)
from index.store.catalogue import CatalogueDamaged
from index.store.postgres import BackendUnavailable
from tui import cli_compare, cli_saved

EXIT_USAGE = 2
IGNORED = "(file ignored)"  # how index.store.yamlfile and index.ingest.corpus end a YAML problem


class CliError(Exception):
    """A problem reported to the user as one line on stderr; ``code`` is the exit status."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


class Parser(argparse.ArgumentParser):
    """argparse with its errors on one line, ending with the command's own hint (exit 2)."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: error: {visible(message)} (see `{self.prog} --help`)\n")
        sys.exit(EXIT_USAGE)


def _positive(text: str) -> int:
    """An ``int`` type for argparse that refuses 0 and negatives."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _common(parser: argparse.ArgumentParser, default: object = None) -> None:
    """The location options, accepted before and after the command.

    Subcommands pass ``argparse.SUPPRESS`` so that an option given before the command
    (``thaad-tui --notes X notes``) is not reset by the subcommand's own default.
    """
    parser.add_argument(
        "--corpus", metavar="DIR", default=default, help=f"corpus folder (env {paths.ENV_CORPUS})"
    )
    parser.add_argument(
        "--index-dir",
        metavar="DIR",
        default=default,
        help=f"index folder (env {paths.ENV_INDEX_DIR})",
    )
    parser.add_argument(
        "--notes", metavar="FILE", default=default, help=f"notes file (env {paths.ENV_NOTES})"
    )
    parser.add_argument(
        "--backend",
        metavar="URL",
        default=default,
        help=f"'whoosh' (the embedded index, default) or a postgresql:// URL of a shared "
        f"database (env {paths.ENV_BACKEND})",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="thaad-tui",
        description="Explore a corpus of news articles in the terminal. "
        "With no command, launch the app.",
    )
    parser.add_argument("--version", action="version", version=f"thaad-tui {__version__}")
    _common(parser)
    parser.add_argument(
        "--fresh", action="store_true", help="start the app clean: do not restore the last session"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        _common(p, default=argparse.SUPPRESS)
        return p

    p = command("index", "build or update the index and print a summary")
    p.add_argument("--rebuild", action="store_true", help="re-index every file from scratch")
    p = command("articles", "list the articles, sorted by date")
    p.add_argument("--json", action="store_true", help="print JSON Lines")
    p = command("show", "print one cleaned article, paragraphs numbered from 1")
    p.add_argument("id", help="article id (a unique prefix is enough)")
    p.add_argument("--json", action="store_true")
    p = command("search", "full-text search (Whoosh syntax) or typo-tolerant --fuzzy search")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("query", nargs="?")
    what.add_argument(
        "--saved", metavar="NAME", help="run a search saved in the app (its query and filters)"
    )
    p.add_argument("--fuzzy", action="store_true", help="typo-tolerant matching (rapidfuzz)")
    p.add_argument("--limit", type=_positive, default=10, metavar="N")
    p.add_argument("--any", action="store_true", help="articles with any of the words, not all")
    p.add_argument("--json", action="store_true")
    p = command("add", "copy article files into the corpus and index them")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    p = command("entities", "list entities (people, organisations, places, other)")
    p.add_argument("--article", metavar="ID")
    p.add_argument("--json", action="store_true")
    p = command("timeline", "publication dates and dated events, in order")
    p.add_argument("--entity", metavar="NAME")
    p.add_argument("--json", action="store_true")
    p = command("quotes", "who said what: quotes and reported speech, by speaker or article")
    p.add_argument("--speaker", metavar="NAME", help="an entity's name or alias, or a role")
    p.add_argument("--article", metavar="ID")
    p.add_argument("--json", action="store_true")
    p = command("bookmark", "bookmark a paragraph of an article into the notes file")
    p.add_argument("id")
    p.add_argument("--paragraph", type=int, required=True, metavar="N")
    p.add_argument("--comment", default="", metavar="TEXT")
    p = command("notes", "list, locate or export bookmarks")
    p.add_argument("--json", action="store_true")
    p.add_argument("--path", action="store_true", help="print where the notes file is")
    p.add_argument("--export", type=Path, metavar="FILE", help="write FILE.json or FILE.csv")
    cli_compare.add_parsers(command)
    return parser


def _settings(args: argparse.Namespace, problems: list[str] | None = None) -> paths.Settings:
    """The run's locations; each config problem is a warning, and is added to ``problems``.

    Resolved once per run (kept on ``args``): a command run again after a rebuild, or the
    damaged-index path, must not say the config's problems twice.
    """
    if "resolved" not in vars(args):
        args.resolved = paths.load_settings(
            args.corpus, args.index_dir, args.notes, backend=args.backend
        )
        for problem in args.resolved[1]:
            _warn(problem)
    resolved: tuple[paths.Settings, list[str]] = args.resolved
    settings, found = resolved
    if problems is not None:
        problems.extend(found)
    return settings


def _warn(message: str) -> None:
    sys.stderr.write(f"warning: {visible(message)}\n")


def _emit(obj: Mapping[str, object]) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def _progress_update(
    library: Library, rebuild: bool = False, quiet: bool = True, build: bool = False
) -> UpdateReport:
    """Update the index, with a Rich progress bar on a terminal when there is real work."""
    cancel = CancelFlag()

    def stop(signum: int, frame: object) -> None:
        if cancel.is_set():
            raise KeyboardInterrupt  # asked twice: do not wait for the current file
        cancel.set()

    # SIGINT stops the build between two files, as the app's quit does: an exception raised
    # at any point could hang the worker pool. Installed even when SIGINT was inherited as
    # ignored (a script's background job), so that `kill -INT` stops a build there too.
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGINT, stop)
    try:
        return _update(library, rebuild, quiet, cancel, build)
    except IndexWriteError as exc:
        if not quiet:
            raise CliError(str(exc)) from None
        _warn(f"{exc}; answering from the index as it is")  # reading needs no space
        return UpdateReport()
    except (Cancelled, KeyboardInterrupt) as exc:
        done = f": {exc}" if str(exc) else "; the index keeps what was committed"
        raise CliError(f"interrupted{done} (run `thaad-tui index` to finish)", 130) from None
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)


def _update(
    library: Library, rebuild: bool, quiet: bool, cancel: CancelFlag, build: bool = False
) -> UpdateReport:
    library.waiting = _warn  # a shared database's build waits for another one: say so now
    if not sys.stderr.isatty():
        report = library.update(rebuild=rebuild, cancel=cancel, build_shared=build)
    else:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        ) as bar:
            task = bar.add_task("scanning", total=None)

            def progress(stage: str, done: int, total: int) -> None:
                label = {
                    "scan": "scanning",
                    "index": "indexing",
                    "copies": "copies",
                    "entities": "entities",
                }[stage]
                bar.update(task, description=label, completed=done, total=total or None)

            report = library.update(
                rebuild=rebuild, progress=progress, cancel=cancel, build_shared=build
            )
    for notice in report.notices:
        _warn(notice)
    loud = not quiet or report.added or report.updated or report.rebuilt
    for warning in report.warnings:
        # A broken YAML file the user edits is ignored on every run, so say so on every run;
        # other skipped files are only reported when the index changed.
        if loud or warning.endswith(IGNORED):
            _warn(warning)
    return report


def _library(args: argparse.Namespace, settings: paths.Settings | None = None) -> Library:
    """The library of the chosen corpus; a corpus that cannot be read is a usage error."""
    library = open_library(settings or _settings(args))
    if library.corpus_problem:
        raise CliError(library.corpus_problem, EXIT_USAGE)
    return library


def _open(args: argparse.Namespace) -> Library:
    library = _library(args)
    _progress_update(library)
    return library


def _article_id(library: Library, given: str) -> str:
    found = library.ids_starting(given)
    if len(found) == 1:
        return found[0]
    if not found:
        raise CliError(f"no article with id {given!r} (see `thaad-tui articles`)")
    listed = ", ".join(found[:5]) + (f" and {len(found) - 5} more" if len(found) > 5 else "")
    raise CliError(f"id {given!r} is ambiguous: {len(found)} articles ({listed}); type more of it")


def _duplicates(report: UpdateReport, shown: int = 20) -> None:
    """Name the articles an update skipped because the corpus has them already."""
    for duplicate in report.duplicates[:shown]:
        _out(f"  skipped duplicate {visible(str(duplicate))}")
    if len(report.duplicates) > shown:
        _out(f"  ... and {len(report.duplicates) - shown} more duplicates")


def cmd_index(args: argparse.Namespace) -> int:
    library = _library(args)
    report = _progress_update(library, rebuild=args.rebuild, quiet=False, build=True)
    _out(report.summary())
    _duplicates(report)
    return 0


def cmd_articles(args: argparse.Namespace) -> int:
    library = _open(args)
    sources = library.article_paths()
    for info in library.articles():
        path = sources.get(info.id)
        row = {
            "id": info.id,
            "title": info.title,
            "outlet": info.outlet,
            "published": info.published.isoformat() if info.published else None,
            "author": info.author,
            "words": info.words,
            "path": shown(path or info.source),
            "url": info.url,
        }
        if args.json:
            _emit(row)
        else:
            date = row["published"] or "undated   "
            _out(f"{info.id}  {date}  {visible(info.outlet or '-'):<18.18}  {visible(info.title)}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    library = _open(args)
    article = library.article(_article_id(library, args.id))
    assert article is not None
    if args.json:
        _emit(
            {
                "id": article.id,
                "title": article.title,
                "outlet": article.outlet,
                "author": article.author,
                "published": article.published.isoformat() if article.published else None,
                "date_inferred": article.date_inferred,
                "section": article.section,
                "standfirst": article.standfirst,
                "url": article.url,
                "editorial": list(article.editorial),
                "paragraphs": list(article.paragraphs),
            }
        )
        return 0

    def mark(field: str) -> str:
        return " (editorial metadata)" if field in article.editorial else ""

    _out(visible(article.title))
    _out("=" * min(len(article.title), 100))
    date = article.published.isoformat() if article.published else "undated"
    if article.date_inferred and "published" not in article.editorial:
        date += " (year inferred)"
    for label, value, field in (
        ("Outlet", article.outlet, "outlet"),
        ("Date", date, "published"),
        ("Author", article.author, "author"),
        ("Section", article.section, "section"),
        ("URL", article.url, "url"),
        ("Id", article.id, ""),
    ):
        if value:
            _out(f"{label + ':':9}{visible(value)}{mark(field)}")
    if article.standfirst:
        _out()
        _out(visible(article.standfirst))
    _out()
    for n, paragraph in enumerate(article.paragraphs, 1):
        _out(f"[{n}] {visible(paragraph)}")
        _out()
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    if args.saved is not None:
        return cli_saved.cmd_saved(args)
    library = _open(args)
    try:
        hits = (
            library.fuzzy(args.query, limit=args.limit, any_word=args.any)
            if args.fuzzy
            else library.search(args.query, limit=args.limit, any_word=args.any)
        )
        # "Few results" is only true of a list --limit did not cut: a cut list says nothing
        # of how many match (and --limit 3 made 11 matches read as "3 with all 2 words").
        cut = len(hits) >= args.limit
        advice = (
            None if args.any or cut else library.advise(args.query, len(hits), fuzzy=args.fuzzy)
        )
    except QueryError as exc:
        raise CliError(f"bad query: {exc}", EXIT_USAGE) from exc
    for hit in hits:
        if args.json:
            _emit(
                {
                    "id": hit.id,
                    "title": hit.title,
                    "score": hit.score,
                    "snippet": hit.snippet,
                    "paragraph": hit.paragraph + 1 if hit.paragraph is not None else None,
                    "mode": hit.mode,
                    "url": hit.url,
                }
            )
        else:
            _out(f"{hit.score:8.2f}  {hit.id}  {visible(hit.title)}")
            if hit.snippet:
                _out(f"          {visible(hit.snippet)}")
    if not hits and not args.json:
        _out("no matches")
    if advice is not None:
        retry = " (--any shows them)" if advice.any_count else ""
        # JSON Lines stay one result a line: the hint goes to stderr
        show = _warn_hint if args.json else _out
        show(f"hint: {visible(advice.text())}{retry}")
    return 0


def _warn_hint(text: str) -> None:
    sys.stderr.write(f"thaad-tui: {text}\n")


def cmd_add(args: argparse.Namespace) -> int:
    from index.ingest.adding import AddRefused

    settings = _settings(args)
    if not settings.writable_root.exists():  # adding to a new corpus folder makes it
        try:
            settings.writable_root.mkdir(parents=True)
        except OSError as exc:
            raise CliError(
                f"cannot create corpus folder {shown(settings.writable_root)}: {exc}"
            ) from exc
    library = _library(args, settings)
    try:
        plan = library.plan_add(args.paths)
    except AddRefused as exc:
        for problem in exc.problems[:-1]:
            sys.stderr.write(f"thaad-tui: {visible(problem)}\n")
        raise CliError(f"{exc.problems[-1]}; nothing added", EXIT_USAGE) from exc
    for note in plan.notes:  # what was done with a file, not a problem: on stdout
        _out(visible(note))
    report = library.add_planned(plan)
    for notice in report.notices:
        _warn(notice)
    for warning in report.warnings:
        _warn(warning)
    _out(f"added to {shown(library.settings.writable_root)}; {report.summary()}")
    _duplicates(report)
    return 0


def cmd_entities(args: argparse.Namespace) -> int:
    library = _open(args)
    article = _article_id(library, args.article) if args.article else None
    for e in library.entities(article):
        if args.json:
            _emit(
                {
                    "name": e.name,
                    "type": e.type,
                    "aliases": list(e.aliases),
                    "articles": list(e.articles),
                    "mentions": e.mentions,
                }
            )
        else:
            _out(f"{e.mentions:5}  {e.type:<12} {visible(e.name)}")
    return 0


def cmd_timeline(args: argparse.Namespace) -> int:
    library = _open(args)
    for event in library.timeline(args.entity):
        if args.json:
            _emit(
                {
                    "date": event.date,
                    "precision": event.precision,
                    "kind": event.kind,
                    "article": event.article,
                    "text": event.text,
                    "entities": list(event.entities),
                    "inferred": event.inferred,
                    "also": list(event.also),
                }
            )
        else:
            also = f"(mentioned in {len(event.also) + 1} articles, e.g.) " if event.also else ""
            text = visible(also + event.text)[:100]
            _out(f"{event.date:<10}  {event.kind:<9}  {event.article}  {text}")
    return 0


def cmd_quotes(args: argparse.Namespace) -> int:
    library = _open(args)
    article = _article_id(library, args.article) if args.article else None
    found = library.quotes(args.speaker, article)
    for c in found:
        q = c.quote
        if args.json:
            _emit(
                {
                    "speaker": c.speaker,
                    "resolved": q.resolved,
                    "kind": q.kind,
                    "verb": q.verb,
                    "text": q.text,
                    "sentence": q.sentence,
                    "article": q.article,
                    "paragraph": q.paragraph,
                    "start": q.start,
                    "end": q.end,
                    "title": c.title,
                    "outlet": c.outlet,
                    "published": c.published,
                }
            )
        else:
            where = (
                f"{c.published or '':<10}  {(c.outlet or '')[:18]:<18}  {q.article} ¶{q.paragraph}"
            )
            _out(f"{where}  {visible(c.speaker or '(unattributed)')}: {visible(q.text)[:90]}")
    if not found and args.speaker and not args.json:
        sys.stderr.write(f"thaad-tui: no quotes by {visible(args.speaker)!r}\n")
    return 0


def cmd_bookmark(args: argparse.Namespace) -> int:
    from index.notes.notebook import NotesError, NotesFile, new_bookmark

    library = _open(args)
    article = library.article(_article_id(library, args.id))
    assert article is not None
    if not 1 <= args.paragraph <= len(article.paragraphs):
        raise CliError(
            f"paragraph {args.paragraph} is out of range: the article has "
            f"{len(article.paragraphs)} (see `thaad-tui show {article.id}`)",
            EXIT_USAGE,
        )
    bookmark = new_bookmark(article, args.paragraph, comment=args.comment)
    notes = NotesFile(library.settings.notes_path)
    try:
        notes.add(bookmark)
    except NotesError as exc:
        raise CliError(str(exc)) from exc
    _out(f"bookmarked paragraph {args.paragraph} of {article.id} in {shown(notes.path)}")
    return 0


def cmd_notes(args: argparse.Namespace) -> int:
    from index.notes.notebook import NotesError, NotesFile, cited_paragraphs, export, to_json

    settings = _settings(args)
    notes = NotesFile(settings.notes_path)
    if args.path:
        _out(shown(notes.path))
        return 0
    try:
        loaded = notes.load()
    except NotesError as exc:
        raise CliError(str(exc)) from exc
    for problem in loaded.problems:
        _warn(problem)
    if args.export:
        try:
            export(loaded.bookmarks, args.export)
        except NotesError as exc:
            raise CliError(str(exc)) from exc
        _out(f"exported {len(loaded.bookmarks)} bookmarks to {shown(args.export)}")
        return 0
    for b in loaded.bookmarks:
        if args.json:
            _emit(to_json(b))
        else:
            _out(f"{b.created[:16]}  {b.article} ¶{cited_paragraphs(b)}  {visible(b.text)[:80]}")
            if b.comment:
                _out(f"                  — {visible(b.comment)}")
    return 0


def launch_app(args: argparse.Namespace) -> int:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        sys.stderr.write(
            "thaad-tui: the app needs a terminal (stdin/stdout are not a TTY); use the commands "
            "instead: thaad-tui articles | show ID | search QUERY | entities | timeline | notes "
            "(see thaad-tui --help)\n"
        )
        return EXIT_USAGE
    from tui.app import run_app

    problems: list[str] = []
    settings = _settings(args, problems)  # on stderr, and as toasts once the app is up
    return run_app(settings, problems, fresh=args.fresh)


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "index": cmd_index,
    "articles": cmd_articles,
    "show": cmd_show,
    "search": cmd_search,
    "add": cmd_add,
    "entities": cmd_entities,
    "timeline": cmd_timeline,
    "quotes": cmd_quotes,
    "bookmark": cmd_bookmark,
    "notes": cmd_notes,
    **cli_compare.COMMANDS,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler = COMMANDS.get(args.command, launch_app)
    return _run(handler, args, retry=True)


def _run(
    handler: Callable[[argparse.Namespace], int], args: argparse.Namespace, retry: bool
) -> int:
    try:
        return handler(args)
    except CatalogueDamaged as exc:
        # Damaged text inside the catalogue shows only when read: mark it, and run the command
        # again; its update rebuilds the index and says why in one line.
        index_dir = _settings(args).index_dir
        try:
            mark_damaged(index_dir, f"catalogue unreadable: {exc}")
        except OSError as err:
            retry = False
            exc = CatalogueDamaged(f"{exc}; cannot mark it for rebuilding ({err})")
        if retry:
            return _run(handler, args, retry=False)
        sys.stderr.write(
            f"thaad-tui: the index in {index_dir} is damaged ({visible(str(exc))}); "
            "run `thaad-tui index --rebuild`\n"
        )
        return 1
    except CliError as exc:
        sys.stderr.write(f"thaad-tui: {visible(str(exc))}\n")
        return exc.code
    except (IndexBusy, StoreUnavailable) as exc:
        sys.stderr.write(f"thaad-tui: {visible(str(exc))}\n")
        return EXIT_USAGE
    except BackendUnavailable as exc:  # one line, no traceback (it would show the URL)
        sys.stderr.write(f"thaad-tui: {visible(str(exc))}\n")
        return 1
    except BrokenPipeError:
        # `thaad-tui articles | head`: the reader went away; not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130
