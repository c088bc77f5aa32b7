"""Place mentions: capitalised word runs looked up in the gazetteer, read with their context.

A run of capitalised words ("Turbat", "Dera Bugti", "Gwadar Port") is looked
up whole, exact or alias only: a fuzzy match on an arbitrary capitalised word
finds some village somewhere, and a wrong place is worse than none. The run is
not a place when it is a person ("Chief Minister Bugti", "Mahrang Baloch": a
title before it, or a multi-word name the gazetteer does not know), an
organisation ("Baloch Liberation Army": Army, Front, Party... inside it), a
capital standing for its government ("Islamabad's reliance", "denied by New
Delhi") or a common word that opens a sentence.

The article's own words sharpen the answer: "Turbat city of Kech district"
and "the Nasl area of Khuzdar district" give a district hint (and an unknown
name in a known district is placed at the district, with the name kept in the
note); "districts like Harnai and Panjgur" and "Buleda tehsil" make the
precision ``district``; "40 km from Turbat" and "near Turbat" make it
``near``. The region comes from the whole article (:func:`article_region`):
candidates in its dominant country and province are preferred, and places
outside the dominant country are left out.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mapper.gazetteer import Gazetteer, Match

__all__ = ["PlaceMention", "Region", "article_region", "find_places", "tokens"]

_TOKEN = re.compile(r"[^\W\d_][\w]*(?:[-'’.][^\W_]+)*|\d+(?:[.,]\d+)*\+?|\S")

# Capitalised words that open a run but are not part of a name.
_LEADING_STOP = frozenset(
    [
        "the",
        "in",
        "on",
        "at",
        "after",
        "before",
        "during",
        "from",
        "near",
        "a",
        "an",
        "this",
        "that",
        "these",
        "those",
        "both",
        "since",
        "as",
        "when",
        "while",
        "meanwhile",
        "however",
        "but",
        "and",
        "or",
        "of",
        "for",
        "to",
        "with",
        "by",
        "into",
        "across",
        "among",
        "amid",
        "despite",
        "following",
        "under",
        "over",
        "between",
        "within",
        "without",
        "around",
        "through",
        "several",
        "some",
        "many",
        "most",
        "all",
        "other",
        "others",
        "another",
        "each",
        "every",
        "no",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "last",
        "earlier",
        "later",
        "yesterday",
        "today",
        "tonight",
        "it",
        "its",
        "he",
        "she",
        "they",
        "we",
        "his",
        "her",
        "their",
        "our",
        "according",
        "also",
        "if",
        "where",
        "there",
        "then",
        "thus",
        "yet",
        "so",
    ]
)
# A word inside a run that makes it an organisation, not a place.
_ORG_WORDS = frozenset(
    [
        "army",
        "front",
        "party",
        "committee",
        "movement",
        "tehreek",
        "council",
        "commission",
        "corps",
        "guards",
        "force",
        "forces",
        "police",
        "levies",
        "ministry",
        "department",
        "court",
        "university",
        "bank",
        "agency",
        "press",
        "news",
        "times",
        "post",
        "tribune",
        "outlook",
        "watch",
        "international",
        "liberation",
        "organisation",
        "organization",
        "association",
        "union",
        "alliance",
        "league",
        "government",
        "assembly",
        "senate",
        "parliament",
        "program",
        "programme",
        "office",
        "bureau",
        "institute",
        "foundation",
        "network",
        "media",
        "channel",
        "company",
        "corporation",
        "authority",
        "relations",
        "services",
        "brigade",
        "battalion",
        "regiment",
        "command",
        "group",
        "jamaat",
        "lashkar",
        "sipah",
        "taliban",
        "tehrik",
        "mujahideen",
        "republican",
        "national",
        "provincial",
        "federal",
        "united",
    ]
)
# Words right before a run that make it a person.
_TITLES = frozenset(
    [
        "minister",
        "president",
        "dr",
        "mr",
        "mrs",
        "ms",
        "prof",
        "general",
        "gen",
        "chief",
        "leader",
        "spokesperson",
        "spokesman",
        "spokeswoman",
        "student",
        "journalist",
        "commentator",
        "activist",
        "senator",
        "governor",
        "commander",
        "colonel",
        "major",
        "captain",
        "lieutenant",
        "judge",
        "justice",
        "maulana",
        "sardar",
        "nawab",
        "mir",
        "chairman",
        "secretary",
        "analyst",
        "writer",
        "author",
        "lawyer",
        "brother",
        "sister",
        "son",
        "daughter",
        "father",
        "mother",
        "wife",
        "husband",
        "named",
        "officer",
        "inspector",
        "superintendent",
        "deputy",
        "premier",
        "prime",
        "khan",
    ]
)
# Capitals that often stand for their governments.
_CAPITALS = frozenset(
    {
        "islamabad",
        "new delhi",
        "delhi",
        "kabul",
        "tehran",
        "washington",
        "beijing",
        "moscow",
        "london",
        "riyadh",
        "rawalpindi",
    }
)
_SPEECH_AFTER = re.compile(
    r"^\s*(?:has|have|had)?\s*(?:said|says|denied|denies|blamed|accused|claimed|rejected|"
    r"warned|insisted|responded|condemned)\b",
    re.I,
)
# "the Balochistan government", "Quetta police": a place naming an institution, not a scene.
_INSTITUTION_AFTER = re.compile(
    r"^\s+(?:government|govt|police|assembly|cabinet|administration|authorities|chief\s+minister"
    r"|home\s+(?:minister|department)|spokes(?:man|person)|officials?|levies|high\s+court)\b",
    re.I,
)
_QUALIFIER_AFTER = re.compile(
    r"^\s+(district|districts|tehsil|city|town|village|area|areas|region|valley)\b", re.I
)
# "Turbat city of Kech district", "the Nasl area of Khuzdar district", "Hoshab, Kech district".
_DISTRICT_AFTER = re.compile(
    r"^\s*(?:(?:(?:city|town|village|area|tehsil|region)\s+)?(?:of|in|,)\s+(?:the\s+)?"
    r"(?P<d>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?)\s+district\b"
    r"|(?:tehsil|area|town|city)\s+of\s+(?:the\s+)?(?P<d2>[A-Z][\w'’-]*))"
)
_NEAR_BEFORE = re.compile(
    r"(?:\bnear(?:by)?|\boutskirts\s+of|\bvicinity\s+of|\bclose\s+to|\boutside|"
    r"\b(?:\d+|[a-z]+)\s*(?:km|kms|kilometres|kilometers|miles)\s+"
    r"(?:(?:north|south|east|west|northeast|northwest|southeast|southwest)(?:-\w+)?\s+)?"
    r"(?:from|of|away\s+from))\s+(?:the\s+)?$",
    re.I,
)
# The run is in a list opened by "districts like" / "areas like" / "districts of".
_DISTRICT_LIST_BEFORE = re.compile(
    r"\b(?:districts?|areas|regions)\s+(?:like|such\s+as|of|including)\s+"
    r"(?:[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*\s*(?:,\s*(?:and\s+)?|\s+and\s+))*$"
)
_DISTRICTS_AFTER_LIST = re.compile(
    r"^(?:\s*(?:,\s*(?:and\s+)?|\s+and\s+)[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)*\s+districts\b"
)
_PROVINCE_ANAPHOR = re.compile(r"\b(?:the|this|that)\s+province\b", re.I)

#: Country names and demonyms that vote for the article's country.
COUNTRY_WORDS: dict[str, str] = {
    "pakistan": "PK",
    "pakistani": "PK",
    "pakistanis": "PK",
    "iran": "IR",
    "iranian": "IR",
    "afghanistan": "AF",
    "afghan": "AF",
    "india": "IN",
    "indian": "IN",
    "china": "CN",
    "chinese": "CN",
}


@dataclass(frozen=True)
class PlaceMention:
    """A run of words the extractor read as a place, or deliberately did not.

    ``start``/``end`` are offsets in the sentence. ``role`` is ``"place"``
    (an incident place candidate), ``"hint"`` (a district named only to locate
    another place) or ``"not a place"`` with ``note`` saying why.
    """

    start: int
    end: int
    text: str
    role: str
    name: str | None = None
    kind: str | None = None
    precision: str | None = None
    district: str | None = None
    province: str | None = None
    country: str | None = None
    note: str = ""
    match: Any = None

    @classmethod
    def placed(
        cls, start: int, end: int, text: str, match: Any, precision: str, note: str = ""
    ) -> PlaceMention:
        """Return a place mention answered by a gazetteer ``match``, at ``precision``."""
        return cls(
            start,
            end,
            text,
            "place",
            name=match.matched_name,
            kind=match.kind,
            precision=precision,
            district=match.district,
            province=match.province,
            country=match.country,
            note=note,
            match=match,
        )


@dataclass(frozen=True)
class Region:
    """The article's dominant country (ISO code) and province, by vote over its mentions."""

    country: str | None = None
    province: str | None = None


def tokens(text: str) -> list[tuple[str, int, int]]:
    """Return ``(token, start, end)`` for each word, number and punctuation mark."""
    return [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _runs(text: str) -> list[tuple[int, int, bool]]:
    """Capitalised word runs as ``(start, end, sentence_initial)``, leading stop words dropped."""
    toks = tokens(text)
    out: list[tuple[int, int, bool]] = []
    i = 0
    while i < len(toks):
        t = toks[i][0]
        if not (t[0].isalpha() and t[0].isupper()):
            i += 1
            continue
        j = i
        while j < len(toks) and toks[j][0][0].isalpha() and toks[j][0][0].isupper():
            # A run stops after a possessive: "Pakistan's Commission" is two names.
            if toks[j][0].endswith(("'s", "’s")):
                j += 1
                break
            j += 1
        k = i
        while k < j and toks[k][0].lower() in _LEADING_STOP:
            k += 1
        if k < j:
            initial = all(not t[0][0].isalnum() for t in toks[:k])
            out.append((toks[k][1], toks[j - 1][2], initial))
        i = j
    return out


def _strip_possessive(s: str) -> tuple[str, bool]:
    if s.endswith(("'s", "’s")):
        return s[:-2], True
    if s.endswith(("s'", "s’")):
        return s[:-1], True
    return s, False


def _exact(m: Match) -> bool:
    return m.resolved and m.match_type in ("exact", "alias")


def _lookup(gaz: Gazetteer, name: str, region: Region, district: str | None = None) -> Match:
    """Exact/alias lookup preferring the article's province, then its country."""
    attempts: list[dict[str, Any]] = []
    if region.country:
        if region.province:
            attempts.append({"country": region.country, "province": region.province})
        attempts.append({"country": region.country})
    else:
        attempts.append({})
    m = None
    for hints in attempts:
        if district:
            m = gaz.resolve(name, district=district, **hints)
            if _exact(m):
                return m
        m = gaz.resolve(name, **hints)
        if _exact(m):
            return m
    assert m is not None
    return m


def article_region(sentences: list[str], gaz: Gazetteer) -> Region:
    """Vote for the article's country and province over every capitalised run it contains."""
    countries: Counter[str] = Counter()
    provinces: Counter[str] = Counter()
    for s in sentences:
        for word in re.findall(r"[A-Z][a-z]+", s):
            code = COUNTRY_WORDS.get(word.lower())
            if code:
                countries[code] += 2
        for a, b, _ in _runs(s):
            name, _ = _strip_possessive(s[a:b])
            if len(name) < 3:
                continue
            m = gaz.resolve(name)
            if _exact(m) and m.country:
                # Curated places are the project's own region: they count double.
                weight = 2 if m.source and "curated" in str(m.source) else 1
                countries[m.country] += weight
                if m.province:
                    provinces[(m.country, m.province)] += weight
    if not countries:
        return Region()
    country = countries.most_common(1)[0][0]
    in_country = Counter({p: n for (c, p), n in provinces.items() if c == country})
    province = in_country.most_common(1)[0][0] if in_country else None
    return Region(country, province)


def find_places(
    sentence: str,
    gaz: Gazetteer,
    region: Region,
    *,
    lowercase_words: frozenset[str] = frozenset(),
    offset: int = 0,
) -> list[PlaceMention]:
    """Return the place mentions of ``sentence`` (and runs rejected as places, with why).

    ``lowercase_words`` are words the article also writes in lower case: such a
    word opening a sentence is a common word, not a place. Only text after
    ``offset`` (a dateline's end) is read.
    """
    out: list[PlaceMention] = []
    hint_spans: list[tuple[int, int]] = []
    for a, b, initial in _runs(sentence):
        if a < offset:
            continue
        if any(s <= a < e for s, e in hint_spans):
            continue
        surface = sentence[a:b]
        name, possessive = _strip_possessive(surface)
        end = a + len(name)
        words = name.split()
        lowered = name.lower()
        before = sentence[max(0, a - 200) : a]
        after_start = end + (len(surface) - len(name))
        after = sentence[after_start : after_start + 200]
        prev_word = re.search(r"([\w.]+)\W*$", before)
        prev = prev_word.group(1).lower().rstrip(".") if prev_word else ""
        if len(name) < 3:
            continue
        if prev in _TITLES:
            out.append(PlaceMention(a, end, name, "not a place", note="a person (title before)"))
            continue
        if _INSTITUTION_AFTER.match(after):
            note = "names an institution (its government, police...), not where anything happened"
            out.append(PlaceMention(a, end, name, "not a place", note=note))
            continue
        if lowered in _CAPITALS and (
            possessive or _SPEECH_AFTER.match(after) or re.search(r"\bby\s+$", before)
        ):
            out.append(
                PlaceMention(
                    a, end, name, "not a place", note="a capital standing for its government"
                )
            )
            continue
        if initial and len(words) == 1 and lowered in lowercase_words:
            continue
        qualifier = _QUALIFIER_AFTER.match(after)
        query = name + (" " + qualifier.group(1) if qualifier else "")
        district_ctx = _DISTRICT_AFTER.match(after)
        district_hint = (district_ctx["d"] or district_ctx["d2"]) if district_ctx else None
        dgroup = ("d" if district_ctx["d"] else "d2") if district_ctx else "d"
        m = _lookup(gaz, query, region, district_hint)
        if not _exact(m) and qualifier:
            m = _lookup(gaz, name, region, district_hint)
        if not _exact(m):
            if len(words) > 1 and any(w.lower() in _ORG_WORDS for w in words):
                out.append(PlaceMention(a, end, name, "not a place", note="an organisation"))
                continue
            if district_hint:
                dm = _lookup(gaz, district_hint + " district", region)
                if _exact(dm):
                    d0 = a + len(name) + district_ctx.start(dgroup)
                    hint_spans.append((d0, d0 + len(district_hint)))
                    out.append(
                        PlaceMention.placed(
                            a,
                            end,
                            name,
                            dm,
                            "district",
                            note=f"'{name}' is not in the gazetteer: placed at its district, "
                            f"{district_hint}",
                        )
                    )
                    continue
            if len(words) > 1:
                out.append(
                    PlaceMention(
                        a,
                        end,
                        name,
                        "not a place",
                        note="a name the gazetteer does not know (person or organisation)",
                    )
                )
            continue
        if region.country and m.country and m.country != region.country:
            out.append(
                PlaceMention(
                    a, end, name, "not a place", note=f"outside the article's country ({m.country})"
                )
            )
            continue
        if _NEAR_BEFORE.search(before) and any(p.role == "place" for p in out):
            # "Pasni, a town 120 km east of Gwadar": Gwadar only locates Pasni.
            out.append(
                PlaceMention(a, end, name, "hint", note="a reference point for another place")
            )
            continue
        precision = _precision(m, before, after, qualifier)
        note = ""
        if m.ambiguous:
            note = "several places of this name; check: " + "; ".join(m.suggestions)
        if district_ctx:
            d0 = end + (len(surface) - len(name)) + district_ctx.start(dgroup)
            hint_spans.append((d0, d0 + len(district_hint)))
        out.append(PlaceMention.placed(a, end, name, m, precision, note))
    for a, b in hint_spans:
        out.append(
            PlaceMention(a, b, sentence[a:b], "hint", note="district named to locate a place")
        )
    if region.province and not any(p.role == "place" for p in out):
        pm = _PROVINCE_ANAPHOR.search(sentence, offset)
        if pm:
            m = _lookup(gaz, region.province, region)
            if _exact(m):
                out.append(
                    PlaceMention(
                        pm.start(),
                        pm.end(),
                        pm.group(0),
                        "place",
                        name=m.matched_name,
                        kind=m.kind,
                        precision="province",
                        province=m.province,
                        country=m.country,
                        match=m,
                        note="'the province': the article's province",
                    )
                )
    out.sort(key=lambda p: p.start)
    return out


def _precision(m: Match, before: str, after: str, qualifier: re.Match[str] | None) -> str:
    kind = (m.kind or "").lower()
    if kind in ("province", "country"):
        return kind
    q = qualifier.group(1).lower() if qualifier else ""
    if _NEAR_BEFORE.search(before):
        return "near"
    district_named = m.district is not None and m.district.lower() == (m.matched_name or "").lower()
    if q in ("district", "districts", "tehsil") or kind == "district":
        return "district"
    if (_DISTRICT_LIST_BEFORE.search(before) or _DISTRICTS_AFTER_LIST.match(after)) and (
        district_named or kind == "district"
    ):
        return "district"
    # A town the report names: the event is in or near it (the point is the town).
    precision = m.precision or "near"
    return "near" if precision == "exact" else precision
