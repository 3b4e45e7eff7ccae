"""Ingest of awkward files: front matter, HTML bodies, JSON Lines, encodings, bad input."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.ingest.corpus import (
    SUPPORTED_SUFFIXES,
    IngestWarning,
    article_id,
    corpus_files,
    ingest_root,
    load_metadata,
    parse_file,
)
from index.models import Article

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def parse_one(name: str, root: Path = FIXTURES) -> Article:
    articles, warnings = parse_file(root / name, root)
    assert warnings == []
    assert len(articles) == 1
    return articles[0]


def only_warning(path: Path, root: Path) -> IngestWarning:
    articles, warnings = parse_file(path, root)
    assert articles == []
    assert len(warnings) == 1
    assert str(warnings[0]).startswith(f"{path}: ")
    assert "\n" not in str(warnings[0])
    return warnings[0]


def test_markdown_front_matter_with_aliases() -> None:
    article = parse_one("frontmatter_markdown.md")
    assert article.title == "Seoul and Beijing resume talks on missile shield"
    assert article.outlet == "Example Wire"
    assert article.author == "Kim Min-ji, John Doe"
    assert article.published == date(2017, 3, 15)
    assert article.url == "https://example.org/news/talks"
    assert article.standfirst == "Officials met for the first time in a year."
    assert article.source == "frontmatter_markdown.md"
    assert article.paragraphs == (
        "A heading inside the body",
        "Officials from both capitals met in Seoul on Wednesday to discuss the missile "
        "defence system, a spokesman said.",
        '"We agreed to keep talking," the spokesman said.',
    )


def test_html_body_becomes_paragraphs() -> None:
    article = parse_one("frontmatter_html.md")
    assert article.title == "France's ministers visit Seoul"
    assert article.author is None  # "Staff Writer" names nobody
    assert article.published == date(2016, 1, 10)  # post_date; "published: true" is skipped
    assert article.url == "http://feeds.example.com/story01.htm"
    assert article.paragraphs == (
        "SEOUL The ministers arrived on Sunday & met their counterparts, officials said.",
        "A second paragraph.",
        "After a line break.",
        "First point",
        "Second point",
        "Analysis",
    )
    assert not any("alert" in p or "color" in p or "[ad_" in p for p in article.paragraphs)


def test_text_file_with_front_matter() -> None:
    article = parse_one("aliases.txt")
    assert (article.title, article.outlet, article.author, article.section) == (
        "Text file with front matter",
        "Example Daily",
        "Lee Ji-won",
        "Politics",
    )
    assert article.published == date(2016, 3, 3)
    assert len(article.paragraphs) == 2


def test_generic_news_page_rules() -> None:
    article = parse_one("generic_page.txt")
    assert article.title == "Talks resume after long freeze in relations"
    assert article.section == "Asia"
    assert article.published == date(2017, 3, 5)
    assert article.author == "Jane Roe and Park Min-soo"
    assert article.outlet == "Reuters"  # from the "SEOUL (Reuters) -" dateline
    assert article.paragraphs == (
        "SEOUL (Reuters) - Diplomats from the two countries met on Tuesday for the first time "
        "since the dispute began last year, according to officials who spoke on condition of "
        "anonymity.",
        "Officials said the meeting lasted two hours and ended with an agreement to meet again.",
    )


def test_standfirst_above_dateline_and_sentence_headline(tmp_path: Path) -> None:
    body = "The two governments agreed on Monday to hold another round of talks in Seoul."
    (tmp_path / "a.txt").write_text(
        "Ministers meet\n\nRelations soured last year over the missile shield deployment.\n\n"
        f"Published: 3 March 2016\n\n{body}\n"
    )
    article = parse_one("a.txt", tmp_path)
    assert article.title == "Ministers meet"
    assert article.standfirst == "Relations soured last year over the missile shield deployment."
    assert (article.published, article.paragraphs) == (date(2016, 3, 3), (body,))
    (tmp_path / "b.txt").write_text(
        f"Will Seoul and Beijing ever mend their broken ties?\n\n{body}\n"
    )
    article = parse_one("b.txt", tmp_path)
    assert article.title == "Will Seoul and Beijing ever mend their broken ties?"
    assert article.paragraphs == (body,)


def test_control_characters_are_stripped() -> None:
    article = parse_one("controls.txt")
    assert article.title == "Escape red title here now"
    assert article.paragraphs == (
        "A body paragraph with a bell and an OSC clipboard write inside it.",
    )
    for text in (article.title, *article.paragraphs):
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", text)


def test_jsonl_keeps_good_lines_and_names_bad_ones() -> None:
    path = FIXTURES / "articles.jsonl"
    articles, warnings = parse_file(path, FIXTURES)
    assert [(a.title, a.line) for a in articles] == [
        ("First article", 1),
        ("Second article", 2),
        ("Third article", 8),
    ]
    first, second, third = articles
    assert first.paragraphs == ("Para one.", "Para two.", "Para three.")
    assert second.paragraphs == ("First paragraph still first.", "Second paragraph.")
    assert (first.outlet, first.published, first.url) == (
        "Reuters",
        date(2016, 7, 8),
        "http://example.com/1",
    )
    assert first.id == article_id("http://example.com/1", ())
    assert second.id == article_id("https://example.com/2/", ())
    assert third.id == article_id(None, ["only LINE number", "as key"])
    assert third.published is None  # kept, undated
    assert [w.line for w in warnings] == [3, 4, 5, 6]
    assert all(str(w).startswith(f"{path}:{w.line}: ") for w in warnings)
    assert "not valid JSON" in warnings[0].reason
    assert "no title" in warnings[2].reason and "no text" in warnings[3].reason


def test_bad_files_give_one_warning_each(tmp_path: Path) -> None:
    cases = {
        "empty.txt": b"",
        "blank.md": b"  \n\n \n",
        "binary.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10,
        "noise.md": bytes(range(1, 32)) * 20,
        "photo.jpg": b"\xff\xd8\xff\xe0",
        "README": b"no extension",
        "nobody.txt": b"Just a title line\n",
        "nothing.jsonl": b"\n\n",
    }
    for name, raw in cases.items():
        (tmp_path / name).write_bytes(raw)
    reasons = {name: only_warning(tmp_path / name, tmp_path).reason for name in cases}
    assert reasons["empty.txt"] == "empty file"
    assert reasons["blank.md"] == "empty file"
    assert reasons["binary.txt"].startswith("binary file")
    assert reasons["noise.md"].startswith("binary file")
    assert reasons["photo.jpg"].startswith("unsupported file type '.jpg'")
    assert reasons["README"].startswith("unsupported file type without an extension")
    assert reasons["nobody.txt"] == "no body text found"
    assert reasons["nothing.jsonl"] == "empty file"
    for name in ("unclosed.md", "invalid_yaml.md"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    assert "never closed" in only_warning(tmp_path / "unclosed.md", tmp_path).reason
    broken = only_warning(tmp_path / "invalid_yaml.md", tmp_path).reason
    assert broken.startswith("invalid YAML front matter at line 3")


def test_bad_date_in_front_matter_is_a_warning(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\ntitle: T\ndate: 2016-02-30\n---\nBody.\n")
    assert "invalid value" in only_warning(tmp_path / "a.md", tmp_path).reason


def test_non_utf8_text_is_decoded_not_dropped(tmp_path: Path) -> None:
    body = "The minister’s “talks” went well, officials said on Monday in Seoul."
    (tmp_path / "cp1252.txt").write_bytes(f"Café talks resume\n\n{body}\n".encode("cp1252"))
    (tmp_path / "bom.txt").write_bytes(f"Café talks resume\n\n{body}\n".encode("utf-8-sig"))
    (tmp_path / "utf16.txt").write_bytes(f"Café talks resume\n\n{body}\n".encode("utf-16"))
    # 0x81 is undefined in cp1252, so only latin-1 can read this one.
    (tmp_path / "latin1.txt").write_bytes(b"Caf\xe9 talks resume\x81\n\n" + body.encode("latin-1",
                                          errors="replace"))  # fmt: skip
    for name in ("cp1252.txt", "bom.txt", "utf16.txt"):
        article = parse_one(name, tmp_path)
        assert article.title == "Café talks resume"
        assert article.paragraphs == (body,)
    assert parse_one("latin1.txt", tmp_path).title == "Café talks resume"


def test_corpus_files_order_and_skips(tmp_path: Path) -> None:
    for name in ("b.txt", "a/z.md", "a/y.pdf", ".hidden.txt", ".git/x.txt", "metadata.yaml",
                 "sub/metadata.yaml", "c.jsonl"):  # fmt: skip
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    found = [p.relative_to(tmp_path).as_posix() for p in corpus_files(tmp_path)]
    assert found == ["a/y.pdf", "a/z.md", "b.txt", "c.jsonl", "sub/metadata.yaml"]
    assert list(corpus_files(tmp_path / "missing")) == []


def test_source_is_relative_posix_path(tmp_path: Path) -> None:
    (tmp_path / "x" / "y").mkdir(parents=True)
    shutil.copy(FIXTURES / "aliases.txt", tmp_path / "x" / "y" / "a.txt")
    article = parse_one("x/y/a.txt", tmp_path)
    assert article.source == "x/y/a.txt"
    assert article.id == parse_one("aliases.txt").id  # the path plays no part in the id


def test_article_id_is_the_url_else_the_text_and_short() -> None:
    body = ["Officials met on Monday.", "Talks resume next week."]
    url_id = article_id("https://www.example.com/a?utm_source=feed#top", body)
    assert url_id == article_id("http://example.com/a/", ["another text"])
    assert url_id != article_id("https://example.com/b", body)
    assert article_id(None, body) == article_id("", ["officials met on Monday. Talks", "resume"
                                                     " next week"])  # fmt: skip
    assert article_id(None, body) != article_id(None, ["Officials met on Tuesday."])
    assert re.fullmatch(r"[0-9a-f]{12}", url_id)
    # A home page is no article's URL: two articles that give one keep their own (text) ids.
    assert article_id("https://example.com/", body) != article_id("https://example.com", ["x"])


def test_metadata_applies_and_is_listed_as_editorial(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "generic_page.txt", tmp_path / "page.txt")
    (tmp_path / "metadata.yaml").write_text(
        "page.txt:\n  editorial:\n    outlet: Edited Outlet\n    published: 2018-01-02\n"
        "    note: because\nmissing.txt:\n  editorial:\n    outlet: Nobody\n"
    )
    metadata, warnings = load_metadata(tmp_path)
    assert warnings == []
    assert metadata["page.txt"]["note"] == "because"
    articles, warnings = ingest_root(tmp_path)
    assert [str(w) for w in warnings] == [
        f"{tmp_path / 'metadata.yaml'}: no file 'missing.txt' to describe"
    ]
    (article,) = articles
    assert article.outlet == "Edited Outlet"
    assert article.published == date(2018, 1, 2)
    assert article.editorial == ("outlet", "published")
    assert article.author == "Jane Roe and Park Min-soo"  # untouched: the text states it


def test_broken_metadata_is_reported_not_fatal(tmp_path: Path) -> None:
    (tmp_path / "metadata.yaml").write_text("a.txt: [unbalanced\n")
    metadata, warnings = load_metadata(tmp_path)
    assert metadata == {} and len(warnings) == 1
    assert "invalid YAML" in str(warnings[0])
    (tmp_path / "metadata.yaml").write_text("a.txt:\n  editorial:\n    colour: red\n")
    _, warnings = load_metadata(tmp_path)
    assert "unknown fields ['colour']" in str(warnings[0])
    assert load_metadata(tmp_path / "nowhere") == ({}, [])


def test_multi_megabyte_article_parses(tmp_path: Path) -> None:
    paragraph = "Officials said the talks on the missile shield would resume next week. " * 8
    text = "A very long article\n\n" + "\n\n".join([paragraph.strip()] * 9000)
    (tmp_path / "big.txt").write_text(text)
    assert (tmp_path / "big.txt").stat().st_size > 5_000_000
    article = parse_one("big.txt", tmp_path)
    assert article.title == "A very long article"
    assert len(article.paragraphs) == 9000
    (tmp_path / "one_line.txt").write_text("Long line title\n\n" + paragraph * 9000)
    assert len(parse_one("one_line.txt", tmp_path).paragraphs) == 1


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    raw=st.binary(max_size=400),
    # Prefixes steer the text into each parser's paths: front matter, JSON, bylines, dates.
    prefix=st.sampled_from(
        ["", "---\n", "---\ntitle: ", '{"title": "t", "text": "', "By ", "PUBLISHED : ", "<p>"]
    ),
    text=st.text(max_size=300),
)
def test_parse_file_never_raises(tmp_path: Path, raw: bytes, prefix: str, text: str) -> None:
    for suffix in sorted(SUPPORTED_SUFFIXES):
        for index, payload in enumerate((raw, (prefix + text).encode("utf-8"))):
            path = tmp_path / f"f{index}{suffix}"
            path.write_bytes(payload)
            articles, warnings = parse_file(path, tmp_path)
            assert articles or warnings
            for article in articles:
                assert article.title and "\n" not in article.title
                assert all(p and "\n" not in p for p in article.paragraphs)


@pytest.mark.parametrize("module", ["index.ingest.corpus"])
def test_ingest_does_not_load_textual(module: str) -> None:
    code = f"import sys, {module}; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


PARAGRAPHS = FIXTURES / "paragraphs"


def test_jsonl_single_newlines_are_paragraph_breaks_and_subheads_stand_alone() -> None:
    articles, warnings = parse_file(PARAGRAPHS / "lines.jsonl", PARAGRAPHS)
    assert warnings == []
    by_title = {a.title: a for a in articles}
    lines = by_title["Line per paragraph"].paragraphs
    assert len(lines) == 6
    assert lines[3] == "SANCTIONS VOTE"
    assert lines[4].startswith("The measure passed")
    assert lines[5].startswith("To become law")


def test_hard_wrapped_and_unbroken_bodies_keep_their_paragraphs() -> None:
    articles, _ = parse_file(PARAGRAPHS / "lines.jsonl", PARAGRAPHS)
    by_title = {a.title: a for a in articles}
    wrapped = by_title["Hard wrapped"].paragraphs
    assert len(wrapped) == 2
    assert wrapped[0].startswith("The first paragraph") and wrapped[0].endswith("still do.")
    assert len(by_title["No breaks at all"].paragraphs) == 1


def test_front_matter_body_with_one_paragraph_per_line() -> None:
    article = parse_one("lines_frontmatter.md", PARAGRAPHS)
    assert len(article.paragraphs) == 5
    assert article.paragraphs[2] == "PROTESTS"


OUTLETS = FIXTURES / "outlets"


def test_aggregator_link_is_unwrapped_and_title_suffix_becomes_the_outlet() -> None:
    article = parse_one("aggregator.md", OUTLETS)
    assert article.title == "Kim meets envoy in Pyongyang"
    assert article.outlet == "The Example Post"
    assert article.url == "http://www.examplepost.com/world/kim-meets-envoy.html"


def test_outlet_from_a_known_site_and_a_headline_suffix_that_is_no_outlet_stays() -> None:
    article = parse_one("feed_site.md", OUTLETS)
    assert article.outlet == "Reuters"
    assert article.title == "Exports fall for a third month - sources"


def test_site_name_key_is_the_outlet_and_its_suffix_leaves_the_title() -> None:
    article = parse_one("site_name_key.md", OUTLETS)
    assert article.outlet == "Example Daily"
    assert article.title == "Talks resume on the missile shield"


def test_suffix_naming_a_known_outlet_without_a_url() -> None:
    articles, _ = parse_file(OUTLETS / "suffix_only.jsonl", OUTLETS)
    assert [(a.title, a.outlet) for a in articles] == [
        ("Missile test condemned", "CNN"),
        ("Market rally fades - traders", None),
    ]


def test_unknown_site_is_named_by_its_domain() -> None:
    from index.ingest.outlets import site_name

    assert site_name("https://www.seattlepi.com/news/1.php") == "seattlepi.com"
    assert site_name("http://news.bbc.co.uk/x") == "BBC News"
    assert site_name("https://www.example.co.uk/a") == "example.co.uk"
    assert site_name("not a url") is None


def test_a_subhead_heading_a_hard_wrapped_block_stands_alone() -> None:
    from index.ingest.frontmatter import markdown_paragraphs

    body = (
        "The first paragraph of this story is wrapped at a narrow width so\n"
        "that its lines stop in the middle of a sentence.\n\n"
        "U.S. SANCTIONS VOTE\n"
        "The measure passed by a wide margin on Tuesday, with support from\n"
        "both parties in the chamber."
    )
    assert markdown_paragraphs(body) == [
        "The first paragraph of this story is wrapped at a narrow width so that its lines stop "
        "in the middle of a sentence.",
        "U.S. SANCTIONS VOTE",
        "The measure passed by a wide margin on Tuesday, with support from both parties in the "
        "chamber.",
    ]
