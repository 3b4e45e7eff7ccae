"""The five shipped seed articles parse to the expected fields, every one of them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import corpus
from index.ingest.corpus import article_id, ingest_root, load_metadata, parse_file
from index.models import Article

ROOT = corpus.default_corpus_dir()
SEEDS = sorted(p.name for p in ROOT.glob("*.txt"))

# Every field of every seed. ``first``/``last`` are the first and last body paragraphs.
EXPECTED: dict[str, dict] = {
    "000_308bac643ac8d815.txt": {
        "title": "China, South Korea defence ministers hold first meeting in two years",
        "outlet": "South China Morning Post",
        "author": None,
        "published": date(2017, 10, 25),
        "date_inferred": False,
        "section": "South Korea",
        "standfirst": "Relations between two nations soured amid row over the deployment of a "
        "US-developed missile defence shield in South Korea",
        "url": None,
        "editorial": ("outlet",),
        "count": 15,
        "first": "China and South Korea’s defence ministers have held their first talks in nearly "
        "two years, amid the two countries dispute over the deployment of a controversial US "
        "missile defence shield.",
        "last_ends": "at South Korea’s Catholic Kwandong University.",
    },
    "001_3c399b3eb91c5a9d.txt": {
        "title": "China raises concerns over missile defense",
        "outlet": "Korea Herald",
        "author": "Song Sang-ho",
        "published": date(2015, 2, 4),
        "date_inferred": False,
        "section": None,
        "standfirst": None,
        "url": None,
        "editorial": (),
        "count": 18,
        "first": "China’s defense minister expressed concerns over the U.S.’ possible deployment "
        "of an advanced missile defense asset to the peninsula during a meeting with his South "
        "Korean counterpart in Seoul on Wednesday.",
        "last_ends": "Chang is to leave Seoul on Thursday.",
    },
    "002_f8c35fc1e1ea05f0.txt": {
        "title": "South Korea, China agree to step up exchanges to re-set ties after missile "
        "defence row",
        "outlet": "Reuters",
        "author": None,
        "published": date(2019, 12, 4),
        "date_inferred": False,
        "section": None,
        "standfirst": None,
        "url": None,
        "editorial": ("published",),
        "count": 22,
        "first": "SEOUL: South Korea and China agreed to beef up diplomatic and cultural exchanges "
        'to "completely normalize" ties that soured over the deployment of US anti-missile '
        "systems in 2017, Seoul officials said on Wednesday (Dec 4).",
        "last_ends": "Cheng Xiaohe as saying.",
    },
    "003_9948edadbc21a31f.txt": {
        "title": "South Korea, China Seek to Warm Frozen Ties",
        "outlet": "AFP",
        "author": None,
        "published": date(2017, 10, 31),
        "date_inferred": False,
        "section": "east asia",
        "standfirst": None,
        "url": None,
        "editorial": (),
        "count": 13,
        "first": "Seoul: South Korea and China sought Tuesday to unblock a relationship strained "
        "by a US defence missile system, issuing strikingly similar statements, with Seoul "
        "saying their leaders would hold talks on the sidelines of next week's APEC summit.",
        "last_ends": 'deal with related issues appropriately", it added.',
    },
    "004_2dffb70461a79a96.txt": {
        "title": "Door open to defense dialogue with ROK, gov't says",
        "outlet": "China Daily",
        "author": "Zhang Zhihao",
        "published": date(2016, 11, 8),
        "date_inferred": False,
        "section": "National affairs",
        "standfirst": None,
        "url": None,
        "editorial": (),
        "count": 13,
        "first": "China is willing to hold defense-related dialogue and develop cooperation with "
        "the Republic of Korea on the basis of mutually respecting each other's security "
        "interests, the Ministry of Defense said on Monday.",
        "last_ends": 'Piao said "it will be a shame" if this year\'s dialogue is canceled because '
        "of THAAD.",
    },
}

# Site chrome that must never reach a body paragraph.
CHROME = (
    "MOST POPULAR",
    "Editor's picks",
    "Back to List",
    "Source: Reuters",
    "By Song Sang-ho",
    "By Korea Herald",
    "PUBLISHED :",
    "UPDATED :",
    "Published :",
    "Home / China",
    "WIB",
    "(Photo:",
    "(left)",
    "South Korea installs four more US THAAD launchers",
    "South Korea names new ambassador to China amid rift",
)


@pytest.fixture(scope="module")
def seeds() -> dict[str, Article]:
    metadata, warnings = load_metadata(ROOT)
    assert warnings == []
    parsed: dict[str, Article] = {}
    for name in SEEDS:
        articles, problems = parse_file(ROOT / name, ROOT, metadata)
        assert problems == []
        assert len(articles) == 1
        parsed[name] = articles[0]
    return parsed


def test_all_five_seeds_are_expected() -> None:
    assert sorted(EXPECTED) == SEEDS


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_seed_fields(seeds: dict[str, Article], name: str) -> None:
    article, want = seeds[name], EXPECTED[name]
    for field in (
        "title", "outlet", "author", "published", "date_inferred", "section", "standfirst",
        "url", "editorial",
    ):  # fmt: skip
        assert getattr(article, field) == want[field], field
    assert article.source == name
    assert article.line is None
    assert article.id == article_id(article.url, article.paragraphs)
    assert len(article.paragraphs) == want["count"]
    assert article.paragraphs[0] == want["first"]
    assert article.paragraphs[-1].endswith(want["last_ends"])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_seed_body_has_no_chrome_or_repeated_title(seeds: dict[str, Article], name: str) -> None:
    article = seeds[name]
    for paragraph in article.paragraphs:
        assert paragraph != article.title
        assert "\n" not in paragraph and paragraph == paragraph.strip()
        for chrome in CHROME:
            assert chrome not in paragraph, (chrome, paragraph)
    assert article.paragraphs[-1] != "(AFP)" and not article.paragraphs[-1].endswith("(AFP)")


def test_without_metadata_the_text_alone_decides() -> None:
    """Seed 000 has no outlet in its text; seed 002's year is inferred from its weekday."""
    scmp, _ = parse_file(ROOT / "000_308bac643ac8d815.txt", ROOT)
    assert scmp[0].outlet is None and scmp[0].editorial == ()
    reuters, _ = parse_file(ROOT / "002_f8c35fc1e1ea05f0.txt", ROOT)
    assert reuters[0].published == date(2019, 12, 4)
    assert reuters[0].date_inferred is True
    assert reuters[0].editorial == ()


def test_metadata_file_is_marked_editorial_and_explains_itself() -> None:
    metadata, _ = load_metadata(ROOT)
    assert set(metadata) == {"000_308bac643ac8d815.txt", "002_f8c35fc1e1ea05f0.txt"}
    assert all(entry.get("note") for entry in metadata.values())
    text = (ROOT / "metadata.yaml").read_text(encoding="utf-8")
    assert text.lstrip().startswith("#") and "EDITORIAL" in text.upper()


def test_ingest_root_reads_the_seeds_with_stable_ids(tmp_path: Path) -> None:
    first, warnings = ingest_root(ROOT)
    again, _ = ingest_root(ROOT)
    assert warnings == []
    assert [a.source for a in first] == SEEDS
    assert [a.id for a in first] == [a.id for a in again]
    assert len({a.id for a in first}) == 5
