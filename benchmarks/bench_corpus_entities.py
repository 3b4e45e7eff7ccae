"""Entity quality on real articles: per-article recall/precision and the top-60 corpus entities.

Usage::

    .venv/bin/python benchmarks/bench_corpus_entities.py \
        /work/shared/data/korea_news_2016_2017/articles.jsonl [--seeds corpus/articles] \
        [--devset benchmarks/devsets/entities.yaml] [--top benchmarks/devsets/entities_top60.yaml]
        [--runs 1] [--errors]

The articles file (and the seed articles, as the app's 102-article corpus has them) is indexed
into a temp folder with empty user folders (no corrections), exactly as ``thaad-tui index``
does. Then:

**Per article** (``--devset``): the entities the app lists for the article (``thaad-tui
entities --article ID``: corpus-canonical names and types) against the hand labels. A
prediction is right when its name folds (case, spaces, hyphens, dots and apostrophes aside) to
the label's name or one of its aliases *and* the type is the label's. Names in the article's
``ignore`` list count neither way. Recall and precision are micro-averaged over all articles;
the mean of the per-article figures is printed too.

**Top 60** (``--top``): the 60 most mentioned corpus entities, as the Entities pane's corpus
scope lists them, judged with the hand-written verdicts in that file. The rules:

1. *right type*: the verdict names a type and it is the entity's type;
2. *not junk*: the verdict is not ``junk`` (nationality and religion words, titles or parts of
   them, credit-line authors, common words, fragments);
3. *not a duplicate*: no entity ranked higher is judged to be the same one (``same: NAME``
   verdicts; a short form such as "Trump" beside "Donald Trump").

An entity the verdict file does not know is printed as UNJUDGED and counted wrong, so a new
top-60 entry must be judged by hand (add it to the file) before the figure is quoted.
Indexing time is the median of ``--runs`` runs (min/max and the load average are printed).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import isolate_user_folders, settings_for, summary

TOP = 60
_NOT_ALNUM = re.compile(r"[\W_]+")
HERE = Path(__file__).resolve().parent


def fold(name: str) -> str:
    """A name with case, spaces and punctuation aside: "Kim Jong-un" == "kim jong un"."""
    return _NOT_ALNUM.sub("", name.casefold())


def build(articles: Path, seeds: Path | None, runs: int):
    """Index the corpus in a temp folder; return the library and the indexing times."""
    from index.library import open_library

    base = isolate_user_folders()
    corpus = base / "corpus"
    corpus.mkdir()
    shutil.copy(articles, corpus / articles.name)
    if seeds is not None:
        for path in seeds.iterdir():
            if path.is_file():
                shutil.copy(path, corpus / path.name)
    times = []
    library = None
    for run in range(max(1, runs)):
        index_dir = Path(tempfile.mkdtemp(prefix=f"run{run}-", dir=base))
        began = time.perf_counter()
        library = open_library(settings_for(corpus, index_dir))
        library.update()
        times.append(time.perf_counter() - began)
    assert library is not None
    return library, times


def article_ids(library, articles: Path) -> dict[str, str]:
    """The dataset's ids ("kh002") -> the app's article ids, by line of the JSON Lines file."""
    by_line = {}
    for line_no, line in enumerate(articles.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            by_line[line_no] = json.loads(line)["id"]
    out = {}
    for aid, path in library.article_paths().items():
        if Path(path).name == articles.name:
            article = library.article(aid)
            if article is not None and article.line in by_line:
                out[by_line[article.line]] = aid
    return out


def score_articles(library, ids: dict[str, str], devset: dict, show_errors: bool) -> None:
    hits = n_gold = n_pred = 0
    recalls, precisions = [], []
    misplaced = []  # labels whose quote is not in the paragraph they name
    for key, labelled in devset["articles"].items():
        gold = labelled["entities"]
        article = library.article(ids[key])
        for g in gold:
            paragraph = (
                article.paragraphs[g["para"] - 1] if g["para"] <= len(article.paragraphs) else ""
            )
            if g["quote"] not in " ".join(paragraph.split()):
                misplaced.append(f"{key} {g['name']} (para {g['para']})")
        ignore = {fold(n) for n in labelled.get("ignore", [])}
        names = [{fold(g["name"]), *(fold(a) for a in g.get("aliases", []))} for g in gold]
        predicted = [e for e in library.entities(ids[key]) if fold(e.name) not in ignore]
        found: set[int] = set()
        wrong = []
        for e in predicted:
            match = next(
                (i for i, g in enumerate(gold) if fold(e.name) in names[i] and g["type"] == e.type),
                None,
            )
            if match is None or match in found:
                wrong.append(f"{e.name}/{e.type}")
            else:
                found.add(match)
        missed = [f"{g['name']}/{g['type']}" for i, g in enumerate(gold) if i not in found]
        hits += len(found)
        n_gold += len(gold)
        n_pred += len(predicted)
        recalls.append(len(found) / len(gold))
        precisions.append(len(found) / len(predicted) if predicted else 0.0)
        line = (
            f"{key:<7}{recalls[-1]:>8.3f}{precisions[-1]:>10.3f}{len(gold):>6}{len(predicted):>6}"
        )
        print(line)
        if show_errors and (missed or wrong):
            print(f"        missed: {'; '.join(missed)}")
            print(f"        wrong:  {'; '.join(wrong)}")
    print(
        f"micro   recall {hits / n_gold:.3f}  precision {hits / n_pred:.3f}  "
        f"({hits} right of {n_gold} labelled, {n_pred} predicted, {len(recalls)} articles)"
    )
    print(
        f"mean    recall {statistics.mean(recalls):.3f}  "
        f"precision {statistics.mean(precisions):.3f}"
    )
    if misplaced:  # the labels no longer fit the text as the app shows it
        print(f"WARNING {len(misplaced)} quotes not in their paragraph: {'; '.join(misplaced)}")


def score_top(library, verdicts: dict) -> None:
    entities = library.entities(limit=TOP)
    seen: set[str] = set()  # folded canonical names of the real-world entities listed above
    right = 0
    for rank, e in enumerate(entities, 1):
        verdict = verdicts.get(e.name)
        if verdict is None:
            mark = "UNJUDGED"
        elif verdict == "junk":
            mark = "junk"
        elif isinstance(verdict, dict) and "same" in verdict:
            mark = "duplicate" if fold(verdict["same"]) in seen else "right"
            kind = verdict.get("type")
            if mark == "right" and kind != e.type:
                mark = f"wrong type (is {kind})"
            seen.add(fold(verdict["same"]))
        elif verdict != e.type:
            mark = f"wrong type (is {verdict})"
        else:
            mark = "duplicate" if fold(e.name) in seen else "right"
        seen.add(fold(e.name))
        right += mark == "right"
        print(
            f"{rank:>3} {e.mentions:>5}  {e.type:<13}{e.name:<34}{'' if mark == 'right' else mark}"
        )
    print(f"top {len(entities)}: {right}/{len(entities)} right = {right / len(entities):.0%}")


def main(argv: list[str] | None = None) -> int:
    """Index, score and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", type=Path, help="korea_news_2016_2017/articles.jsonl")
    parser.add_argument("--seeds", type=Path, default=HERE.parent / "corpus" / "articles")
    parser.add_argument("--devset", type=Path, default=HERE / "devsets" / "entities.yaml")
    parser.add_argument("--top", type=Path, default=HERE / "devsets" / "entities_top60.yaml")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--errors", action="store_true", help="list misses and wrong guesses")
    args = parser.parse_args(argv)

    library, times = build(args.articles, args.seeds, args.runs)
    print(
        f"indexed {len(library.articles())} articles: {summary(times, ' s', 2)}; "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    devset = yaml.safe_load(args.devset.read_text(encoding="utf-8"))
    ids = article_ids(library, args.articles)
    print(f"{'article':<7}{'recall':>8}{'precision':>10}{'gold':>6}{'pred':>6}")
    score_articles(library, ids, devset, args.errors)
    verdicts = yaml.safe_load(args.top.read_text(encoding="utf-8")) or {}
    score_top(library, verdicts.get("verdicts", {}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
