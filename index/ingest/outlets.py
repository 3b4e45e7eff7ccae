"""Outlets, titles and URLs as exports give them: who published an article, and where.

Aggregators and blog exports rarely name the outlet in a field of its own: the URL's site names
it (``feeds.reuters.com``), and Google News appends it to the title (``"... - The Washington
Post"``). :func:`resolve` reads all three and returns the outlet, the title without that suffix,
and the URL with redirect wrappers removed. :func:`url_key` is the normalised URL that decides
whether two records are the same article.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit

# Sites whose readable name differs from their domain. Keys are host names without "www.";
# a host also matches through any of its parent domains (feeds.reuters.com -> reuters.com).
KNOWN_SITES: dict[str, str] = {
    "reuters.com": "Reuters", "wired.com": "Wired", "washingtonpost.com": "The Washington Post",
    "nytimes.com": "The New York Times", "cnn.com": "CNN", "abcnews.go.com": "ABC News",
    "nbcnews.com": "NBC News", "usatoday.com": "USA Today", "latimes.com": "Los Angeles Times",
    "foxnews.com": "Fox News", "cbsnews.com": "CBS News", "bloomberg.com": "Bloomberg",
    "wsj.com": "The Wall Street Journal", "espn.go.com": "ESPN", "npr.org": "NPR",
    "voanews.com": "Voice of America", "bbc.com": "BBC News", "bbc.co.uk": "BBC News",
    "theguardian.com": "The Guardian", "apnews.com": "AP", "afp.com": "AFP",
    "washingtontimes.com": "The Washington Times", "chicagotribune.com": "Chicago Tribune",
    "vox.com": "Vox", "mashable.com": "Mashable", "politico.com": "Politico",
    "timesofindia.indiatimes.com": "The Times of India", "thehill.com": "The Hill",
    "yonhapnews.co.kr": "Yonhap", "koreaherald.com": "The Korea Herald",
    "koreatimes.co.kr": "The Korea Times", "koreajoongangdaily.joins.com": "Korea JoongAng Daily",
    "chosun.com": "The Chosun Ilbo", "hani.co.kr": "The Hankyoreh", "xinhuanet.com": "Xinhua",
    "globaltimes.cn": "Global Times", "scmp.com": "South China Morning Post",
    "japantimes.co.jp": "The Japan Times", "nknews.org": "NK News", "ft.com": "Financial Times",
    "economist.com": "The Economist", "aljazeera.com": "Al Jazeera", "time.com": "TIME",
    "huffingtonpost.com": "HuffPost", "thedailybeast.com": "The Daily Beast",
    "nydailynews.com": "New York Daily News", "bostonglobe.com": "The Boston Globe",
}  # fmt: skip
_SECOND_LEVEL = frozenset(("co", "com", "net", "org", "ac", "go", "gov", "or", "ne"))
_SEPARATOR = re.compile(r"\s+[-–—|]\s+(?P<suffix>[^-–—|]{2,60})$")
_DOMAIN_LIKE = re.compile(r"^[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|co\.uk|in|au)$", re.I)
_FOLD = re.compile(r"[\W_]+")
_TRACKING = re.compile(r"^(?:utm_\w+|fbclid|gclid|ocid|cmpid|ref|rss|feedtype|feedname)$", re.I)
_REDIRECTS = {"news.google.com": "url", "www.google.com": "url", "l.facebook.com": "u"}
_MAX_SUFFIX_WORDS = 6


def _host(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:  # a malformed port or bracket: not a usable URL
        return None
    return host.removeprefix("www.") if host else None


def unwrap(url: str) -> str:
    """The target of an aggregator's redirect link (news.google.com ``url=``), else ``url``."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url
    param = _REDIRECTS.get(parts.hostname or "")
    if param:
        target = dict(parse_qsl(parts.query)).get(param, "")
        if target.startswith(("http://", "https://")):
            return target
    return url


def known_site(url: str | None) -> str | None:
    """The name of a URL's site when it is one of :data:`KNOWN_SITES`."""
    host = _host(url)
    labels = host.split(".") if host else []
    return next(
        (n for i in range(len(labels) - 1) if (n := KNOWN_SITES.get(".".join(labels[i:])))), None
    )


def site_name(url: str | None) -> str | None:
    """A readable outlet name for a URL's site: a known name, else its registrable domain."""
    host = _host(url)
    if not host or "." not in host:
        return None
    known = known_site(url)
    if known:
        return known
    labels = host.split(".")
    keep = 3 if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL else 2
    return ".".join(labels[-keep:])


def _fold(text: str) -> str:
    return _FOLD.sub("", text.casefold())


def _abbreviates(short: str, long: str) -> bool:
    """Whether ``short`` is ``long`` shortened ("nytimes" for "newyorktimes"): same first
    letter, and its letters appear in order."""
    if not short or not long or short[0] != long[0]:
        return False
    rest = iter(long)
    return all(ch in rest for ch in short)


def names_site(suffix: str, url: str | None) -> bool:
    """Whether a title suffix names the site of ``url`` ("Washington Post" for
    washingtonpost.com, "New York Times" for nytimes.com)."""
    host = _host(url)
    if not host:
        return False
    folded = _fold(suffix)
    known = site_name(url)
    if known and _fold(known).removeprefix("the") == folded.removeprefix("the"):
        return True
    labels = [lb for lb in host.split(".")[:-1] if lb not in _SECOND_LEVEL and len(lb) > 1]
    return any(
        _fold(lb) in folded
        or (len(folded) >= 3 and folded in _fold(lb))
        or _abbreviates(_fold(lb), folded)
        for lb in labels
    )


def _known(suffix: str) -> bool:
    folded = _fold(suffix).removeprefix("the")
    return bool(_DOMAIN_LIKE.match(suffix)) or any(
        _fold(name).removeprefix("the") == folded for name in KNOWN_SITES.values()
    )


def resolve(title: str, outlet: str | None, url: str | None) -> tuple[str, str | None, str | None]:
    """``(title, outlet, url)`` of a record, each as complete as the record allows.

    The outlet is the record's own when it names one; else the site of the URL when it is a
    known one; else a title suffix that names an outlet; else the URL's domain. A suffix that
    names the outlet or the URL's site leaves the title ("Kim meets envoy - The Washington
    Post" becomes "Kim meets envoy"), and so does the suffix an aggregator's redirect link
    always carries (Google News titles end with " - Publisher"); any other suffix ("... -
    sources") is part of the headline and stays.
    """
    aggregated = False
    if url:
        unwrapped = unwrap(url)
        aggregated, url = unwrapped != url, unwrapped
    for _ in range(2):  # "Headline | Site - Site": a site's own suffix, then the aggregator's
        match = _SEPARATOR.search(title)
        if not match:
            break
        suffix = match.group("suffix").strip()
        same_outlet = outlet is not None and _fold(suffix) == _fold(outlet)
        if len(suffix.split()) > _MAX_SUFFIX_WORDS or not (
            aggregated or same_outlet or names_site(suffix, url) or (not url and _known(suffix))
        ):
            break
        title = title[: match.start()].rstrip()
        outlet = outlet or known_site(url) or suffix
        aggregated = False
    return title, outlet or site_name(url), url


def url_key(url: str | None) -> str | None:
    """The form of a URL that two copies of one article share: no scheme, no ``www.``, no
    fragment, no tracking parameters, no trailing slash, host in lower case.

    ``None`` for anything that is not an http(s) URL, and for a site's home page.
    """
    if not url:
        return None
    url = unwrap(url.strip())
    try:
        parts = urlsplit(url)
        host = parts.hostname
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    host = host.removeprefix("www.")
    if port not in (None, 80, 443):
        host = f"{host}:{port}"
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query) if not _TRACKING.match(k)))
    path = parts.path.rstrip("/") or ""
    if not path and not query:
        return None  # a site's home page names no article: exports put it on many records
    return f"{host}{path}" + (f"?{query}" if query else "")
