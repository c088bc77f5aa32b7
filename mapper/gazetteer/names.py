"""Name normalisation: the lookup key of a place name and what its qualifiers say."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# --- normalisation -----------------------------------------------------------

# Letters that NFKD does not decompose into a base letter plus a mark.
_SPECIAL = str.maketrans(
    {"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "þ": "th", "æ": "ae",
     "Æ": "AE", "œ": "oe", "Œ": "OE", "ı": "i", "ħ": "h"}
)  # fmt: skip
# Apostrophes and ayn/hamza marks vanish ("Ma'ruf" = "Maruf"); other punctuation separates words.
_APOSTROPHES = re.compile(r"['’‘`´ʼʻʿʾ]")
_NON_WORD = re.compile(r"[\W_]+")
# One spelling for transliteration variants of a common first word (Killa/Qila Abdullah).
_CANON_RE = re.compile(r"\b(?:killa|qilla|kila|qilah)\b")
# Combining marks (Latin diacritics, Arabic vowel signs) left apart by NFKD.
_MARKS = re.compile(
    "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u064b-\u065f\u0670]"
)

NEAR = "near"
DISTRICT = "district"
TOWN = "town"
# (words, what they say about the place); longest first so "outskirts of" wins over "outskirts".
_LEADING: tuple[tuple[tuple[str, ...], str | None], ...] = (
    (("on", "the", "outskirts", "of"), NEAR),
    (("the", "outskirts", "of"), NEAR),
    (("outskirts", "of"), NEAR),
    (("outskirt", "of"), NEAR),
    (("vicinity", "of"), NEAR),
    (("suburbs", "of"), NEAR),
    (("near",), NEAR),
    (("nr",), NEAR),
    (("nearby",), NEAR),
    (("outside",), NEAR),
    (("around",), NEAR),
    (("district",), DISTRICT),
    (("tehsil",), DISTRICT),
    (("town",), TOWN),
    (("city", "of"), TOWN),
    (("village",), TOWN),
    (("the",), None),
)
_LEADING_FIRST = frozenset(words[0] for words, _ in _LEADING)
_TRAILING: dict[str, str | None] = {
    "town": TOWN,
    "city": TOWN,
    "village": TOWN,
    "area": NEAR,
    "areas": NEAR,
    "outskirts": NEAR,
    "district": DISTRICT,
    "tehsil": DISTRICT,
    # The tribal agencies became districts in 2018; tables still write "Khyber Agency".
    "agency": DISTRICT,
    # UCDP writes "Balochistan province"; the word names no different place.
    "province": None,
}


@dataclass(frozen=True)
class ParsedPlace:
    """A place name reduced to its lookup key, with what its qualifiers said.

    Attributes
    ----------
    key : str
        The normalised name (see :func:`normalize_name`).
    near : bool
        The name said "near X", "outskirts of X", "X area": the place is close to X.
    kind : str or None
        ``"district"`` for "X district"/"X tehsil", ``"town"`` for "X town/city/village".
    """

    key: str
    near: bool = False
    kind: str | None = None


def _fold(text: str) -> str:
    if not text.isascii():
        text = _MARKS.sub("", unicodedata.normalize("NFKD", text.translate(_SPECIAL)))
    text = _NON_WORD.sub(" ", _APOSTROPHES.sub("", text.casefold())).strip()
    if _CANON_RE.search(text):
        text = _CANON_RE.sub("qila", text)
    return text


def parse_place(name: str) -> ParsedPlace:
    """Normalise ``name`` and read its qualifiers ("near", "outskirts of", "district", "town"...).

    Qualifiers are removed from the ends of the name, never down to nothing:
    a place called "Town" stays "town".

    Examples
    --------
    >>> parse_place("on the outskirts of Turbat")
    ParsedPlace(key='turbat', near=True, kind=None)
    >>> parse_place("Kech District")
    ParsedPlace(key='kech', near=False, kind='district')
    """
    text = _fold(name)
    first, _, _ = text.partition(" ")
    _, _, last = text.rpartition(" ")
    if first not in _LEADING_FIRST and last not in _TRAILING:
        return ParsedPlace(text)  # the common case: nothing to strip
    tokens = text.split()
    near = False
    kind: str | None = None
    changed = True
    while changed and len(tokens) > 1:
        changed = False
        for words, meaning in _LEADING:
            n = len(words)
            if len(tokens) > n and tuple(tokens[:n]) == words:
                tokens = tokens[n:]
                near, kind = _note(meaning, near, kind)
                changed = True
                break
        if len(tokens) > 1 and tokens[-1] in _TRAILING:
            near, kind = _note(_TRAILING[tokens[-1]], near, kind)
            tokens = tokens[:-1]
            changed = True
    return ParsedPlace(" ".join(tokens), near, kind)


def _note(meaning: str | None, near: bool, kind: str | None) -> tuple[bool, str | None]:
    if meaning == NEAR:
        return True, kind
    if meaning is not None and kind is None:
        return near, meaning
    return near, kind


def normalize_name(name: str) -> str:
    """Return the lookup key of a place name.

    Case, diacritics, apostrophes, punctuation and repeated whitespace do not
    count, nor do words that qualify a place rather than name it (town, city,
    village, area, district, tehsil, near, outskirts of).

    Examples
    --------
    >>> normalize_name("  Dālbandīn ")
    'dalbandin'
    >>> normalize_name("near Turbat town")
    'turbat'
    >>> normalize_name("Killa Saifullah") == normalize_name("Qila Saifullah")
    True
    """
    return parse_place(name).key


#: Keys (see :func:`normalize_name`) that tables write for "no place name": GTD's
#: "Unknown", "N/A", "Various", "Multiple locations". They name no place, here or abroad
#: ("Other" is not Othery in Somerset).
PLACEHOLDER_KEYS = frozenset(
    {
        "unknown",
        "unk",
        "n a",
        "na",
        "none",
        "nil",
        "not known",
        "not specified",
        "unspecified",
        "not reported",
        "undisclosed",
        "unidentified",
        "various",
        "multiple",
        "multiple locations",
        "several",
        "several locations",
        "other",
        "others",
    }
)


def is_placeholder(name: object) -> bool:
    """Say whether ``name`` stands for no place at all ("Unknown", "N/A", "Various")."""
    return isinstance(name, str) and normalize_name(name) in PLACEHOLDER_KEYS
