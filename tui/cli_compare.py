"""The comparing commands of the CLI: ``similar``, ``diff`` and ``compare`` (issue 16).

Corpus text goes through :func:`visible` (no control or escape sequences reach the terminal);
the output is plain text, never markup.
"""

from __future__ import annotations

import argparse
import textwrap
from collections.abc import Callable

from index.ingest.textclean import visible


def add_parsers(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """Declare the three commands on the CLI's sub-parser factory."""
    p = command("similar", "an article's copies (same story) and articles on the same subject")
    p.add_argument("id", help="article id (a unique prefix is enough)")
    p.add_argument("--limit", type=int, default=10, metavar="N", help="articles on the subject")
    p.add_argument("--json", action="store_true", help="print JSON Lines")
    p = command("diff", "two articles side by side: what one adds or drops, paragraph by paragraph")
    p.add_argument("id1")
    p.add_argument("id2")
    p = command("compare", "how each outlet told it: passages, months and distinctive words")
    p.add_argument("query", nargs="?", help="full-text query (Whoosh syntax)")
    p.add_argument("--entity", metavar="NAME", help="articles mentioning this entity instead")
    p.add_argument("--passages", type=int, default=3, metavar="N", help="passages per outlet")
    p.add_argument("--json", action="store_true")


def cmd_similar(args: argparse.Namespace) -> int:
    from index.compare.similar import similar
    from tui import cli

    library = cli._open(args)
    aid = cli._article_id(library, args.id)
    infos = {info.id: info for info in library.articles()}
    found = similar(library, aid, limit=max(0, args.limit))
    if not args.json:
        title = infos[aid].title if aid in infos else aid
        cli._out(f"{aid}  {visible(title)}")
        if not found:
            cli._out("  no similar articles")
    for item in found:
        info = infos.get(item.id)
        row = {
            "id": item.id,
            "copy": item.copy,
            "score": item.score,
            "title": info.title if info else None,
            "outlet": info.outlet if info else None,
            "published": info.published.isoformat() if info and info.published else None,
        }
        if args.json:
            cli._emit(row)
            continue
        kind = f"copy {item.score:.0%}" if item.copy else f"like {item.score:6.1f}"
        date = row["published"] or "undated   "
        outlet = visible((info.outlet if info else None) or "-")
        title = visible((info.title if info else None) or "")
        cli._out(f"  {kind:>9}  {item.id}  {date}  {outlet:<16.16}  {title}")
    return 0


def _wrap(prefix: str, text: str) -> list[str]:
    lines = textwrap.wrap(visible(text), width=96) or [""]
    return [prefix + lines[0], *("      " + line for line in lines[1:])]


def cmd_diff(args: argparse.Namespace) -> int:
    from index.compare import textdiff
    from tui import cli

    library = cli._open(args)
    left = library.article(cli._article_id(library, args.id1))
    right = library.article(cli._article_id(library, args.id2))
    assert left is not None and right is not None
    for mark, article in (("A", left), ("B", right)):
        cli._out(
            f"{mark}: {article.id}  {visible(article.outlet or '-')}  {visible(article.title)}"
        )
    cli._out("   = same   - only in A (dropped by B)   + only in B (added)   ~ edited:")
    cli._out("     [-words of A-] {+words of B+}")
    for label, a_value, b_value in (
        ("title", left.title, right.title),
        ("date", str(left.published or "undated"), str(right.published or "undated")),
        ("URL", left.url or "no URL", right.url or "no URL"),
    ):
        if a_value != b_value:
            for line in _wrap(f"~ {label}: ", _merge(a_value, b_value)):
                cli._out(line)
    rows = textdiff.align(left.paragraphs, right.paragraphs)
    same = sum(r.kind == "same" for r in rows)
    cli._out(f"{same} paragraphs shared, {len(rows) - same} differ")
    for row in rows:
        cli._out()
        if row.kind == "same":
            assert row.left is not None and row.right is not None
            cli._out(
                f"= A{row.left + 1} B{row.right + 1}: {visible(left.paragraphs[row.left])[:80]}…"
            )
        elif row.kind == "dropped":
            assert row.left is not None
            for line in _wrap(f"- A{row.left + 1}: ", left.paragraphs[row.left]):
                cli._out(line)
        elif row.kind == "added":
            assert row.right is not None
            for line in _wrap(f"+ B{row.right + 1}: ", right.paragraphs[row.right]):
                cli._out(line)
        else:
            assert row.left is not None and row.right is not None
            merged = _merge(left.paragraphs[row.left], right.paragraphs[row.right])
            for line in _wrap(f"~ A{row.left + 1} B{row.right + 1}: ", merged):
                cli._out(line)
    return 0


def _merge(left: str, right: str) -> str:
    """One paragraph with A's own words as ``[-…-]`` and B's as ``{+…+}``, wdiff style."""
    from index.compare.textdiff import merged_diff

    marks = {"same": "{}", "del": "[-{}-]", "ins": "{{+{}+}}"}
    out = []
    for text, kind in merged_diff(left, right):
        core = text.strip()
        if not core or kind == "same":
            out.append(text)
            continue
        # The spaces around a change stay outside its marks: "for {+up to+} three".
        lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
        out.append(lead + marks[kind].format(core) + trail)
    return "".join(out)


def cmd_compare(args: argparse.Namespace) -> int:
    from index.compare import coverage
    from index.search.query import QueryError
    from tui import cli

    if not args.query and not args.entity:
        raise cli.CliError("give a QUERY or --entity NAME", code=cli.EXIT_USAGE)
    library = cli._open(args)
    try:
        views = coverage.compare(library, args.query, entity=args.entity)
    except QueryError as exc:
        raise cli.CliError(f"bad query: {exc}", code=cli.EXIT_USAGE) from exc
    if args.json:
        for view in views:
            cli._emit(
                {
                    "outlet": view.outlet,
                    "articles": len(view.passages),
                    "words": view.words,
                    "by_month": dict(sorted(view.by_month.items())),
                    "distinctive": [
                        {"word": k.word, "g2": k.g2, "here": k.here, "elsewhere": k.elsewhere}
                        for k in view.keywords
                    ],
                    "passages": [
                        {
                            "article": p.article,
                            "title": p.title,
                            "published": p.published,
                            "paragraph": None if p.paragraph is None else p.paragraph + 1,
                            "snippet": p.snippet,
                            "copies": p.copies,
                        }
                        for p in view.passages
                    ],
                }
            )
        return 0
    if not views:
        cli._out("no matching articles")
        return 0
    for view in views:
        cli._out(f"{visible(view.outlet)}: {len(view.passages)} articles")
        months = "  ".join(f"{m} {n}" for m, n in sorted(view.by_month.items()))
        cli._out(f"  per month: {months}")
        words = ", ".join(f"{visible(k.word)} (G2 {k.g2:.1f})" for k in view.keywords)
        cli._out(f"  distinctive: {words or '-'}")
        for p in view.passages[: max(0, args.passages)]:
            where = f"¶{p.paragraph + 1}" if p.paragraph is not None else "title"
            also = f" (+{p.copies} cop{'y' if p.copies == 1 else 'ies'})" if p.copies else ""
            cli._out(
                f"  {p.published or 'undated'}  {p.article}{also} {where}: {visible(p.snippet)}"
            )
        cli._out()
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "similar": cmd_similar,
    "diff": cmd_diff,
    "compare": cmd_compare,
}
