"""Articles: reading plain text and HTML, the publication date, sentences, language.

An :class:`Article` is the text a person would read (markup, scripts and styles
dropped), where it came from, and when it was published. Sentences keep their
character offsets in that text, so every extracted value can point back at the
exact words it came from.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

from mapper.errors import InputError

__all__ = [
    "MAX_BYTES",
    "Article",
    "NotEnglishError",
    "Sentence",
    "looks_english",
    "publication_date",
    "read_article",
    "split_sentences",
]

#: Articles are read up to this many bytes; the rest of a larger file is left out
#: (with a note), so a runaway file cannot exhaust memory.
MAX_BYTES = 2_000_000

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        )
    )
    for m in names
}
MONTH_RE = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)


class NotEnglishError(InputError):
    """The text is not in English; the extractor reads English reports only."""

    exit_code = 1


@dataclass(frozen=True)
class Sentence:
    """One sentence: its text and where it sits in the article (character offsets)."""

    start: int
    end: int
    text: str
    paragraph: int


@dataclass
class Article:
    """An article's readable text, its citation and its publication date.

    Attributes
    ----------
    text : str
        What a reader sees: markup, scripts and styles removed.
    source : str
        How rows cite the article (the ``--source`` text, the HTML title or the file name).
    published : datetime.date or None
        From the caller, HTML metadata or a dateline; None when nothing says.
    path : str or None
        The file it was read from.
    notes : list of str
        One-line remarks about the reading (a file cut at :data:`MAX_BYTES`...).
    """

    text: str
    source: str
    published: date | None = None
    path: str | None = None
    notes: list[str] = field(default_factory=list)
    #: Datelines ("Quetta, Feb 2 (IANS) -"), as offsets: where a report was filed, not news.
    datelines: list[tuple[int, int]] = field(default_factory=list)


# --- HTML --------------------------------------------------------------------

_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "head", "iframe"})
_BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "table",
        "section",
        "article",
        "header",
        "footer",
        "blockquote",
        "pre",
        "figcaption",
        "hr",
        "title",
    }
)
_DATE_META = frozenset(
    {
        "article:published_time",
        "datepublished",
        "date",
        "pubdate",
        "publishdate",
        "dc.date",
        "dc.date.issued",
        "og:published_time",
        "sailthru.date",
        "parsely-pub-date",
    }
)


class _TextOf(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.title: list[str] = []
        self.in_title = False
        self.dates: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key in _DATE_META and a.get("content"):
                self.dates.append(a["content"])
        elif tag == "time" and a.get("datetime"):
            self.dates.append(a["datetime"])
        if tag == "title":
            self.in_title = True
        elif tag in _SKIP_TAGS:
            self.skip += 1
        if tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        elif tag in _SKIP_TAGS and self.skip:
            self.skip -= 1
        if tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        elif not self.skip:
            self.parts.append(data)


def _from_html(raw: str) -> tuple[str, str, list[str]]:
    parser = _TextOf()
    parser.feed(raw)
    parser.close()
    text = "".join(parser.parts)
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = re.sub(r" *\n[ \n]*\n *", "\n\n", text).strip()
    return text, " ".join("".join(parser.title).split()), parser.dates


def _looks_html(raw: str, path: str | None) -> bool:
    if path and path.lower().endswith((".html", ".htm", ".xhtml")):
        return True
    head = raw[:2000].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or "<body" in head


# --- dates -------------------------------------------------------------------

_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DATELINE_DATE = re.compile(
    rf"\b(?P<month>{MONTH_RE})\s+(?P<day>\d{{1,2}})(?:,?\s+(?P<year>\d{{4}}))?"
    rf"|\b(?P<day2>\d{{1,2}})\s+(?P<month2>{MONTH_RE})(?:,?\s+(?P<year2>\d{{4}}))?"
)
# "Quetta, Feb 2 (IANS) ..." or "QUETTA, Pakistan - Feb 1, 2026 -": a place, a date, a separator.
_DATELINE = re.compile(
    rf"^\s*[A-Z][\w'’. -]{{1,40}}(?:,\s*[A-Z][\w'’ -]{{1,30}})?\s*[,:–—-]\s*"
    rf"(?:(?:{MONTH_RE})\s+\d{{1,2}}(?:,\s*\d{{4}})?|\d{{1,2}}\s+{MONTH_RE}(?:\s+\d{{4}})?)"
    r"\s*(?:\([^)]{1,30}\))?\s*[–—:-]*\s*"
)
_WEEKDAY_LINE = re.compile(
    rf"^\s*(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+{MONTH_RE}\s+\d{{1,2}},\s+\d{{4}}\s*$",
    re.MULTILINE,
)


def month_number(name: str) -> int:
    """Return 1-12 for an English month name or abbreviation."""
    return _MONTHS[name.lower().rstrip(".")]


def _date_of(m: re.Match[str], default_year: int | None) -> date | None:
    month = m["month"] or m["month2"]
    day = m["day"] or m["day2"]
    year = m["year"] or m["year2"]
    y = int(year) if year else default_year
    if y is None:
        return None
    try:
        return date(y, month_number(month), int(day))
    except ValueError:
        return None


def publication_date(text: str, meta: Sequence[str] = ()) -> date | None:
    """Return the publication date an article gives about itself, or None.

    HTML metadata first, then a weekday-and-date line ("Sunday, February 1,
    2026") or a dateline with a year, near the top.
    """
    for value in meta:
        m = _ISO.search(value)
        if m:
            try:
                return date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                continue
    top = text[:600]
    m = _WEEKDAY_LINE.search(top)
    if m:
        d = _DATELINE_DATE.search(m.group(0))
        if d:
            return _date_of(d, None)
    for d in _DATELINE_DATE.finditer(top):
        if d["year"] or d["year2"]:
            return _date_of(d, None)
    return None


_CAPS_DATELINE = re.compile(r"^\s*[A-Z]{3,}(?:[ -][A-Z]{3,})?\s*:\s+")


def dateline_date(text: str, year: int | None) -> tuple[date | None, int]:
    """Return the date of a dateline opening ``text`` and where the dateline ends.

    A dateline ("Quetta, Feb 2 (IANS) -") names where the report was filed, not
    where anything happened: its place is not an incident place.
    """
    m = _DATELINE.match(text)
    if not m:
        caps = _CAPS_DATELINE.match(text)
        return None, (caps.end() if caps else 0)
    d = _DATELINE_DATE.search(m.group(0))
    return (_date_of(d, year) if d else None), m.end()


# --- reading -------------------------------------------------------------------


def read_article(
    path: str | os.PathLike[str], *, published: date | None = None, source: str | None = None
) -> Article:
    """Read one article file (plain text or HTML) in bounded memory.

    Raises
    ------
    InputError
        If the file is missing, unreadable or binary.
    """
    p = Path(path)
    try:
        size = p.stat().st_size
        with open(p, "rb") as fh:
            raw = fh.read(MAX_BYTES)
    except FileNotFoundError as err:
        raise InputError("no such file", path=p) from err
    except IsADirectoryError as err:
        raise InputError("is a directory, expected an article file", path=p) from err
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror or err}", path=p) from err
    notes = []
    if size > MAX_BYTES:
        notes.append(
            f"{p}: {size:,} bytes; only the first {MAX_BYTES:,} were read (bounded memory)"
        )
    if b"\x00" in raw[:65536]:
        raise InputError("looks like a binary file, expected an article (text or HTML)", path=p)
    try:
        text = raw.decode("utf-8-sig", errors="strict" if size <= MAX_BYTES else "ignore")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    if sum(1 for c in text[:65536] if ord(c) < 32 and c not in "\n\r\t\f") > 8:
        raise InputError("looks like a binary file, expected an article (text or HTML)", path=p)
    return article_from_text(
        text, published=published, source=source or p.name, path=str(p), notes=notes
    )


def article_from_text(
    raw: str,
    *,
    published: date | None = None,
    source: str = "article",
    path: str | None = None,
    notes: list[str] | None = None,
) -> Article:
    """Make an :class:`Article` from raw text or HTML; find its publication date and dateline."""
    meta: list[str] = []
    title = ""
    if _looks_html(raw, path):
        raw, title, meta = _from_html(raw)
    else:
        raw = html.unescape(raw) if "&#" in raw or "&amp;" in raw else raw
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    found = publication_date(text, meta)
    pub = published or found
    # Every paragraph that opens with a dateline (a post may hold several reports).
    datelines: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        if _WEEKDAY_LINE.fullmatch(line):
            offset += len(line) + 1
            continue
        d, end = dateline_date(line, pub.year if pub else None)
        if end:
            datelines.append((offset, offset + end))
            if pub is None and d is not None:
                pub = d
        offset += len(line) + 1
    cite = source if source != "article" or not title else title
    return Article(text, cite, pub, path, list(notes or []), datelines)


# --- language ---------------------------------------------------------------------

_ENGLISH = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "in",
        "a",
        "is",
        "that",
        "for",
        "on",
        "was",
        "with",
        "by",
        "as",
        "at",
        "from",
        "it",
        "are",
        "were",
        "has",
        "have",
        "had",
        "said",
        "this",
        "be",
        "an",
        "not",
        "or",
        "which",
        "his",
        "their",
        "they",
        "its",
        "but",
        "after",
        "been",
        "who",
    ]
)


def looks_english(text: str) -> bool:
    """Return True when ``text`` reads as English (common English words among its first words).

    Short texts (under 20 words) get the benefit of the doubt.
    """
    words = re.findall(r"[^\W\d_]+", text[:20000].lower())
    if len(words) < 20:
        return True
    latin = sum(1 for w in words if w.isascii())
    if latin < len(words) / 2:
        return False
    common = sum(1 for w in words if w in _ENGLISH)
    return common / len(words) >= 0.08


# --- sentences ----------------------------------------------------------------------

_ABBREVIATIONS = frozenset(
    [
        "dr",
        "mr",
        "mrs",
        "ms",
        "prof",
        "gen",
        "lt",
        "col",
        "maj",
        "capt",
        "sgt",
        "st",
        "no",
        "nos",
        "vs",
        "etc",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "govt",
        "dept",
        "inc",
        "ltd",
        "co",
        "jr",
        "sr",
        "rev",
        "hon",
        "approx",
        "fig",
        "est",
        "gov",
        "sen",
        "rep",
    ]
)
# A sentence ends at . ! or ? (maybe closed by quotes or brackets), then space and a
# capital, a digit or an opening quote.
_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")


def split_sentences(text: str, start: int = 0) -> list[Sentence]:
    """Split ``text[start:]`` into sentences with their offsets.

    Paragraph and line breaks always end a sentence (headlines have no full
    stop); a full stop after an abbreviation ("Dr.", "Feb."), an initial ("A.")
    or inside a number does not.
    """
    out: list[Sentence] = []
    paragraph = 0
    for block in re.finditer(r"[^\n]+", text[start:]):
        b0 = start + block.start()
        line = block.group(0)
        cut = 0
        for m in _END.finditer(line):
            before = line[cut : m.start()]
            word = re.search(r"(\w+)$", before)
            if line[m.start()] == "." and word:
                w = word.group(1)
                if w.lower() in _ABBREVIATIONS or (len(w) == 1 and w.isupper()):
                    continue
            _add(out, text, b0 + cut, b0 + m.end(), paragraph)
            cut = m.end()
        _add(out, text, b0 + cut, b0 + len(line), paragraph)
        paragraph += 1
    return out


def _add(out: list[Sentence], text: str, a: int, b: int, paragraph: int) -> None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if b > a:
        out.append(Sentence(a, b, text[a:b], paragraph))
