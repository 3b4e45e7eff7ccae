"""Entity extraction quality and speed on CoNLL-2003 English.

Usage::

    /work/venv/bin/python benchmarks/bench_entities.py PATH_TO/conll2003_en [--split eng.testb]
        [--runs 5] [--errors N]

Each document (split at ``-DOCSTART-``; in this copy the marker *ends* a document) becomes one
text: every sentence's tokens joined by single spaces, sentences joined by newlines. That text
goes through :func:`index.analysis.entities.extract`; predicted character spans are mapped back to
token spans. Scoring is entity-level exact span and type over PER / ORG / LOC (our person /
organisation / place): gold MISC is dropped, and so are our ``other`` mentions. A prediction
that does not start and end on token boundaries counts as a false positive.

Tune on ``eng.testa`` only; quote ``eng.testb``. Speed is tokens per second of ``extract`` over
the whole split, the median of ``--runs`` runs, after one warm-up run that loads the gazetteer.
No data from the set is written anywhere.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from index.analysis.entities import extract

TYPE_MAP = {"person": "PER", "organisation": "ORG", "place": "LOC"}
SCORED = ("PER", "ORG", "LOC")

Span = tuple[int, int, int, str]  # document, first token, token after the last, type


def read_documents(path: Path) -> list[list[list[tuple[str, str]]]]:
    """Documents -> sentences -> (token, NER tag) pairs."""
    docs: list[list[list[tuple[str, str]]]] = []
    sentences: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts:
            if current:
                sentences.append(current)
                current = []
            continue
        if parts[0] == "-DOCSTART-":
            if current:
                sentences.append(current)
                current = []
            if sentences:
                docs.append(sentences)
            sentences = []
            continue
        current.append((parts[0], parts[-1]))
    if current:
        sentences.append(current)
    if sentences:
        docs.append(sentences)
    return docs


def gold_spans(doc_index: int, tags: list[str]) -> set[Span]:
    """Entity spans from IOB1 tags (B- starts a new entity only after one of the same type)."""
    spans: set[Span] = set()
    start, kind = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        label = tag[2:] if tag != "O" else ""
        begins = tag.startswith("B-") or label != kind
        if kind and (begins or not label):
            if kind in SCORED:
                spans.add((doc_index, start, i, kind))
            kind = ""
        if label and (begins or not kind):
            start, kind = i, label
    return spans


def build_text(sentences: list[list[tuple[str, str]]]) -> tuple[str, list[int], list[int]]:
    """The document text and each token's start and end offsets."""
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    for s, sentence in enumerate(sentences):
        if s:
            pieces.append("\n")
            pos += 1
        for t, (token, _) in enumerate(sentence):
            if t:
                pieces.append(" ")
                pos += 1
            starts.append(pos)
            pieces.append(token)
            pos += len(token)
            ends.append(pos)
    return "".join(pieces), starts, ends


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="folder holding eng.testa / eng.testb")
    parser.add_argument("--split", default="eng.testb")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--errors", type=int, default=0, help="print N errors (tuning aid)")
    args = parser.parse_args(argv)

    docs = read_documents(args.data / args.split)
    texts = []
    gold: set[Span] = set()
    predicted: set[Span] = set()
    tokens = 0
    for d, sentences in enumerate(docs):
        text, starts, ends = build_text(sentences)
        texts.append(text)
        tags = [tag for sentence in sentences for _, tag in sentence]
        tokens += len(tags)
        gold |= gold_spans(d, tags)
        by_start = {s: i for i, s in enumerate(starts)}
        by_end = {e: i for i, e in enumerate(ends)}
        for m in extract(text):
            kind = TYPE_MAP.get(m.type)
            if kind is None:
                continue
            a, b = by_start.get(m.start), by_end.get(m.end)
            if a is None or b is None:
                predicted.add((d, -m.start - 1, -m.end - 1, kind))  # off token boundaries
            else:
                predicted.add((d, a, b + 1, kind))

    timings = []
    for _ in range(max(1, args.runs)):
        began = time.perf_counter()
        for text in texts:
            extract(text)
        timings.append(time.perf_counter() - began)
    speed = tokens / statistics.median(timings)

    print(f"{args.split}: {len(docs)} documents, {tokens} tokens, {len(gold)} gold PER/ORG/LOC")
    print(f"{'type':<8}{'precision':>10}{'recall':>10}{'F1':>8}{'gold':>7}{'pred':>7}")
    for kind in (*SCORED, "overall"):
        g = {s for s in gold if kind in (s[3], "overall")}
        p = {s for s in predicted if kind in (s[3], "overall")}
        hit = len(g & p)
        prec = hit / len(p) if p else 0.0
        rec = hit / len(g) if g else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        print(f"{kind:<8}{prec:>10.3f}{rec:>10.3f}{f1:>8.3f}{len(g):>7}{len(p):>7}")
    print(f"speed: {speed:,.0f} tokens/s (median of {len(timings)} runs)")
    if args.errors:
        _print_errors(docs, gold, predicted, args.errors)
    return 0


def _print_errors(docs: list, gold: set[Span], predicted: set[Span], limit: int) -> None:
    """The most frequent false positives and misses, by surface text (for tuning on testa)."""
    words = [[t for sentence in doc for t, _ in sentence] for doc in docs]

    def show(span: Span) -> str:
        d, a, b, kind = span
        return f"{kind} {' '.join(words[d][a:b])}" if a >= 0 else f"{kind} <off-token>"

    print("false positives:", Counter(show(s) for s in predicted - gold).most_common(limit))
    print("misses:", Counter(show(s) for s in gold - predicted).most_common(limit))


if __name__ == "__main__":
    raise SystemExit(main())
