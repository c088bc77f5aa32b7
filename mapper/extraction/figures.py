"""Figures in a sentence: number, qualifier, subject, outcome and the party credited with it.

"killing at least 41 militants ..., according to the ISPR" gives low 41 (no
high), subject ``militants``, outcome ``killed``, claimant ``ISPR`` (side
``state``). A figure's subject is the noun right after it ("17 security
personnel", "94 (...) troops"; "others" takes the subject of the figure before
it); its outcome is a verb right after the subject ("troops were killed"),
else the nearest outcome word before it in the clause ("the capture of 18
others"). A figure inside brackets ("94 (or in some statements up to 84+)
troops") is an alternative to the one before the bracket and shares its
subject and outcome. "84 or 94" is a range, "84+" and "over 80" have no upper
bound. The claimant is the party the sentence credits: "according to X", "X
said/claimed/announced", a participle's subject ("security forces ...,
claiming"), or "the group" standing for the last armed group named.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["ClaimMention", "claimant_side", "find_figures"]

_UNITS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_WORD_NUM = (
    r"(?:(?:a|one|two|three)\s+dozen|a\s+hundred|one\s+hundred"
    r"|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four"
    r"|five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven"
    r"|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
)
_NUM = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+|{_WORD_NUM})"
_FIGURE = re.compile(
    rf"(?P<q>\b(?:at\s+least|more\s+than|over|above|in\s+excess\s+of|nearly|almost|around|about"
    rf"|some|roughly|approximately|up\s+to|as\s+many\s+as|close\s+to)\s+)?"
    rf"(?:between\s+)?(?P<a>\b{_NUM})(?P<plus>\+)?"
    rf"(?:\s*(?:or|to|and|-|–)\s*(?P<b>{_NUM})(?P<plus2>\+)?)?\b(?P<plus3>\+)?",
    re.I,
)
_TOLL = re.compile(
    r"\b(?:death\s+toll|toll|number\s+of\s+(?:the\s+)?dead)\b[^,;.]{0,40}?\b(?:to|at|of|is|was|stood\s+at)\s+"
    r"(?:(?:at\s+least|over|more\s+than|nearly|around|about)\s+)?$",
    re.I,
)
_NOT_COUNT_AFTER = re.compile(
    r"^\s*(?:%|percent|per\s+cent|million|billion|crore|lakh|hours?|days?|weeks?|months?|years?"
    r"|km|kms|kilomet(?:re|er)s?|miles?|minutes?|-hour|-day|-year|-point|[.,]\d|:\d|th\b|st\b|nd\b)",
    re.I,
)

_SUBJECTS: tuple[tuple[str, str], ...] = (
    (
        r"security\s+(?:personnel|forces|officials|men)|law\s+enforcers|soldiers?|troops?"
        r"|personnel|army\s+men|servicemen|jawans|policemen|police(?:\s+officers|men)?|cops"
        r"|officers|guards|FC(?:\s+personnel|\s+men)?|Frontier\s+Corps(?:\s+personnel)?"
        r"|Levies(?:\s+personnel|\s+men)?|paramilitar(?:y|ies)(?:\s+\w+)?",
        "security forces",
    ),
    (
        r"militants?|terrorists?|insurgents?|fighters?|attackers?|rebels?|separatists?"
        r"|miscreants|gunmen|assailants|suicide\s+bombers?|\"terrorists\"|khawarij|“terrorists”",
        "militants",
    ),
    (
        r"civilians?|passengers?|people|persons|labou?rers|workers|residents|villagers|women"
        r"|children|students?|pilgrims|commuters|bystanders|men|drivers?|activists|protesters"
        r"|miners|farmers|fishermen|tourists|teachers|engineers|polio\s+workers|nurses"
        r"|demonstrators|journalists|shopkeepers|traders",
        "civilians",
    ),
    (r"hostages?", "hostages"),
    (r"suspects", "unspecified"),
    (r"cities|towns", "cities"),
    (r"sites", "sites"),
)
_SUBJECT_RE = re.compile(
    r"^\s*(?:of\s+(?:the|them|whom)\s+)?(?:[\w'’-]+\s+){0,2}?(?P<s>"
    + "|".join(f"(?:{p})" for p, _ in _SUBJECTS)
    + r"|others|more)\b",
    re.I,
)
_OUTCOMES: tuple[tuple[str, str], ...] = (
    (
        r"killed|killing|kill|kills|deaths?|dead|died|die|neutrali[sz]ed|neutrali[sz]ing"
        r"|martyred|martyrdom|eliminated|lost\s+(?:their\s+)?lives|gunned\s+down|shot\s+dead"
        r"|slain|perished|bodies",
        "killed",
    ),
    (r"injured|injuring|injuries|wounded|wounding|hurt", "injured"),
    (
        r"captured|capture|capturing|taken\s+hostage|held\s+hostage|took\s+hostage|seized",
        "captured",
    ),
    (r"abducted|abducting|abduction|kidnapped|kidnapping", "abducted"),
    (
        r"arrested|arrests?|detained|detaining|apprehended|rounded\s+up|taken\s+into\s+custody",
        "arrested",
    ),
    (r"strikes?|attacks?|attacked|targeted|targeting|stormed|assaults?", "attacked"),
)
_OUTCOME_RE = re.compile(
    r"\b(?:" + "|".join(f"(?P<o{i}>{p})" for i, (p, _) in enumerate(_OUTCOMES)) + r")\b", re.I
)
_OUTCOME_AFTER = re.compile(
    r"^\s*(?:(?:were|was|have\s+been|had\s+been|has\s+been|are|got|being|also)\s+)*"
    r"(?:(?:reportedly|allegedly|also)\s+)?(?P<o>" + "|".join(p for p, _ in _OUTCOMES[:5]) + r")\b",
    re.I,
)
# Figures of cities and sites count what was attacked; people are killed, hurt or taken.
_ATTACK_SUBJECTS = frozenset({"cities", "sites"})

_SPEECH = (
    r"said|says|say|claimed|claims|claim|claiming|announced|announces|announcing|reported"
    r"|reports|report|reporting|stated|states|stating|asserted|asserting|asserts|confirmed"
    r"|confirms|confirming|told|added|alleged|alleging|insisted|maintained|estimated|put\s+the"
    r"\s+(?:toll|figure)|painted|described|describing|according"
)
_SPEECH_RE = re.compile(rf"\b(?:{_SPEECH})\b", re.I)
_ACCORDING = re.compile(r"\baccording\s+to\s+(?P<np>[^,;.]+)", re.I)
_PARTICIPLE = re.compile(r"\b(?:claiming|asserting|announcing|stating|alleging|reporting)\b", re.I)

#: (pattern, side): who a claimant is, by the words that name it.
CLAIMANTS: tuple[tuple[str, str], ...] = (
    (
        r"\b(?:BLA|BLF|BRAS|BRG|BNA|BRA|TTP|Liberation\s+(?:Army|Front)|Republican\s+(?:Army|Guards)"
        r"|the\s+(?:\w+\s+)?group|the\s+outfit|its\s+spokes\w+|militant\s+group|armed\s+group|insurgents?|militants|rebels"
        r"|separatists|spokes(?:man|person|persons|woman)\s+(?:for|of)\s+the\s+(?:group|BLA|BLF|TTP))\b",
        "armed group",
    ),
    (
        r"\b(?:HRCP|Human\s+Rights\s+(?:Commission|Watch)|Amnesty|rights\s+groups?|activists"
        r"|residents|locals|witnesses|eyewitnesses|hospital|doctors|relatives|families"
        r"|organi[sz]ers|protesters"
        r"|monitors)\b",
        "independent",
    ),
    (
        r"\b(?:ISPR|Inter-Services\s+Public\s+Relations|army|military|police|officials?|official"
        r"|authorities|government|security\s+forces|security\s+officials|FC|Frontier\s+Corps|Levies"
        r"|CTD|Counter[- ]Terrorism\s+Department|ministry|minister|administration|commissioner"
        r"|forces|troops|state)\b",
        "state",
    ),
    (r"\b(?:media|reports?|newspapers?|journalists|the\s+agency|correspondents?)\b", "media"),
)
_ARMED_NAME = re.compile(
    r"\b(?:BLA|BLF|BRAS|BRG|BNA|TTP|[A-Z]\w+\s+Liberation\s+(?:Army|Front)"
    r"|[A-Z]\w+\s+Republican\s+(?:Army|Guards))\b"
)
# Capitalised words that open a phrase but name no party ("On Monday, ... said").
_NOT_A_PARTY = frozenset(
    [
        "on",
        "in",
        "at",
        "after",
        "before",
        "during",
        "since",
        "last",
        "this",
        "earlier",
        "later",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "separately",
        "meanwhile",
        "however",
        "it",
        "he",
        "she",
        "they",
    ]
)
_COREF = re.compile(
    r"^(?:(?:the\s+)?(?:group|outfit|organisation|organization)(?:'s|’s)?|its\s+spokes\w+.*)$", re.I
)


@dataclass(frozen=True)
class ClaimMention:
    """One figure one party asserted, with where each part sits in the sentence."""

    start: int
    end: int
    low: int
    high: int | None
    subject: str
    outcome: str
    claimant: str
    side: str
    quote: str
    claimant_span: tuple[int, int] | None = None
    note: str = ""


def _number(text: str) -> int:
    t = text.lower().replace(",", "").strip()
    if t.isdigit():
        return int(t)
    if "dozen" in t:
        n = t.split()[0]
        return 12 * (1 if n in ("a", "one") else _UNITS.get(n, 1))
    if "hundred" in t:
        return 100
    parts = re.split(r"[- ]", t)
    return sum(_TENS.get(p, _UNITS.get(p, 0)) for p in parts)


def claimant_side(name: str) -> str:
    """Return the side the words of a claimant's name point to ('' when none)."""
    for pattern, side in CLAIMANTS:
        if re.search(pattern, name, re.I):
            return side
    return ""


def _mask_brackets(s: str) -> tuple[str, list[tuple[int, int]]]:
    spans = [(m.start(), m.end()) for m in re.finditer(r"\([^()]*\)", s)]
    chars = list(s)
    for a, b in spans:
        chars[a:b] = " " * (b - a)
    return "".join(chars), spans


def _clean_np(np_text: str) -> str:
    np_text = np_text.strip(" ,;:-—–\"'“”")
    acro = re.search(r"\(([A-Z]{2,6})\)", np_text)
    if acro:
        return acro.group(1)
    np_text = re.sub(r"^(?:the|a|an|and|but|while|that)\s+", "", np_text, flags=re.I)
    return np_text.strip(" ,;:-—–\"'“”")


def find_claimant(clause: str, last_group: str | None) -> tuple[str, str, tuple[int, int] | None]:
    """Return ``(claimant, side, span)`` the clause credits, or ``("", "", None)``."""
    m = _ACCORDING.search(clause)
    if m:
        raw = m.group("np")
        name = _clean_np(raw)
        return _coref(name, last_group), claimant_side(name), (m.start("np"), m.end("np"))
    for sm in _SPEECH_RE.finditer(clause):
        if sm.group(0).lower() == "according":
            continue
        participle = _PARTICIPLE.fullmatch(sm.group(0)) is not None
        before = clause[: sm.start()]
        if not participle:
            # The noun phrase right before the verb, after the last clause boundary.
            seg = re.split(r",|;|\bthat\b|\bwhile\b|\bwhereas\b|\bbut\b|—|–", before)
            parts = [p for p in seg if p.strip()]
            cand = parts[-1] if parts else ""
            # "The BLA, in contrast, claimed": an aside between subject and verb.
            if cand and not claimant_side(cand) and len(parts) > 1 and claimant_side(parts[-2]):
                cand = parts[-2]
            name = _clean_np(cand)
            # A party the lexicon knows, "the group", or a proper name ("the BYC said").
            proper = (
                re.fullmatch(r"(?:[A-Z][\w'’.-]*\s*){1,6}", name) is not None
                and name.split()[0].lower() not in _NOT_A_PARTY
            )
            known = claimant_side(name) or _COREF.match(name)
            if name and len(name.split()) <= 8 and (known or proper):
                a = clause.find(cand.strip())
                return (
                    _coref(name, last_group),
                    claimant_side(_coref(name, last_group)),
                    (a, a + len(cand.strip())),
                )
        # A participle, or no subject before the verb: the first party the sentence names.
        for pattern, side in CLAIMANTS[:3]:
            cm = re.search(pattern, before, re.I)
            if cm:
                name = _clean_np(cm.group(0))
                return _coref(name, last_group), side, cm.span()
    return "", "", None


def _coref(name: str, last_group: str | None) -> str:
    if _COREF.match(name) and last_group:
        return last_group
    return name


def last_armed_group(text: str, current: str | None) -> str | None:
    """Return the last armed group named in ``text`` (an acronym in brackets wins)."""
    found = current
    for m in _ARMED_NAME.finditer(text):
        found = m.group(0)
        acro = re.match(r"\s*\(([A-Z]{2,6})\)", text[m.end() :])
        if acro:
            found = acro.group(1)
    return found


def find_figures(
    sentence: str,
    *,
    skip: Sequence[tuple[int, int]] = (),
    last_group: str | None = None,
    carried: tuple[str, str] | None = None,
) -> list[ClaimMention]:
    """Return every casualty (or attacked-places) figure of ``sentence`` with its claimant.

    ``skip`` are spans that are not figures (dates, operation names);
    ``carried`` is the claimant of the sentence before, used when this one
    credits nobody.
    """
    masked, brackets = _mask_brackets(sentence)
    out: list[ClaimMention] = []
    prev: ClaimMention | None = None
    for m in _FIGURE.finditer(sentence):
        a = m.start("a")
        if any(s <= a < e for s, e in skip):
            continue
        if re.search(
            r"[$£€]\s*$|\b(?:Rs|PKR|USD)\.?\s*$", sentence[max(0, m.start() - 40) : m.start()]
        ):
            continue
        if re.search(r"\bincluding\s+$", sentence[max(0, m.start() - 40) : m.start()], re.I):
            continue  # "ten, including two drivers": a part of a figure, not another one
        inside = next(((s, e) for s, e in brackets if s < a < e), None)
        if _NOT_COUNT_AFTER.match(sentence[m.end("b") if m["b"] else m.end("a") :]):
            continue
        low, high = _number(m["a"]), None
        plus = bool(m["plus"] or m["plus2"] or m["plus3"])
        q = (m["q"] or "").strip().lower()
        if m["b"]:
            second = _number(m["b"])
            low, high = min(low, second), max(low, second)
            if plus:
                high = None
        elif plus or q in ("at least", "more than", "over", "above", "in excess of"):
            high = None
        else:
            high = low
        if inside is not None:
            # An alternative figure: it shares the bracketed figure's subject and outcome.
            base = prev if prev is not None and prev.end <= inside[0] + 1 else None
            if base is None:
                continue
            out.append(
                ClaimMention(
                    m.start(),
                    m.end(),
                    low,
                    high,
                    base.subject,
                    base.outcome,
                    base.claimant,
                    base.side,
                    sentence[m.start() : m.end()].strip(),
                    base.claimant_span,
                    "an alternative figure given in brackets",
                )
            )
            continue
        subj_m = _SUBJECT_RE.match(masked[m.end() :])
        if subj_m is None:
            total = re.search(
                r"\btotal\b[^,;]{0,25}$", sentence[max(0, m.start() - 40) : m.start()], re.I
            )
            # "four soldiers were killed and three were injured": the subject carries over.
            bare = _OUTCOME_AFTER.match(masked[m.end() :])
            toll = _TOLL.search(sentence[max(0, m.start() - 60) : m.start()])
            if (total or bare) and prev is not None:
                subject, subj_end = prev.subject, m.end()
            elif toll and not m["b"]:
                # "the death toll rose to 12": the dead, whoever they were.
                claimant, side, span = find_claimant(sentence, last_group)
                if not claimant:
                    claimant, side = "unattributed (the article)", "media"
                prev = ClaimMention(
                    m.start(),
                    m.end(),
                    low,
                    high,
                    "unspecified",
                    "killed",
                    claimant,
                    side,
                    " ".join(sentence[max(0, m.start() - 60) + toll.start() : m.end()].split()),
                    span,
                )
                out.append(prev)
                continue
            else:
                continue
        else:
            word = subj_m["s"].lower()
            subj_end = m.end() + subj_m.end("s")
            if word in ("others", "more"):
                if prev is None:
                    continue
                subject = prev.subject
            else:
                subject = next(
                    lab for pat, lab in _SUBJECTS if re.fullmatch(pat, subj_m["s"], re.I)
                )
        outcome = _outcome(masked, m.start(), subj_end, subject)
        if outcome is None:
            continue
        clause = _clause(sentence, m.start())
        claimant, side, span = find_claimant(clause, last_group)
        if not claimant:
            claimant, side, span = find_claimant(sentence, last_group)
        if not claimant and carried:
            claimant, side = carried
        if not claimant:
            claimant, side = "unattributed (the article)", "media"
        q0 = _quote_start(masked, m.start())
        verb = _OUTCOME_AFTER.match(masked[subj_end:])
        q1 = subj_end + verb.end() if verb and q0 == m.start() else subj_end
        quote = " ".join(sentence[q0:q1].split())
        prev = ClaimMention(
            m.start(), m.end(), low, high, subject, outcome, claimant, side, quote, span
        )
        out.append(prev)
    return out


def _clause(sentence: str, at: int) -> str:
    parts = re.split(r";|\bwhile\b|\bwhereas\b", sentence)
    pos = 0
    for p in parts:
        if pos <= at <= pos + len(p):
            return p
        pos += len(p) + 1
    return sentence


def _outcome_label(m: re.Match[str]) -> str:
    for i, (_, label) in enumerate(_OUTCOMES):
        if m.group(f"o{i}"):
            return label
    raise AssertionError


def _outcome(masked: str, start: int, subj_end: int, subject: str) -> str | None:
    after = _OUTCOME_AFTER.match(masked[subj_end:])
    if after and subject not in _ATTACK_SUBJECTS:
        text = after.group("o")
        for pat, label in _OUTCOMES:
            if re.fullmatch(pat, text, re.I):
                return label
    window = masked[max(0, start - 90) : start]
    window = re.split(r"[;.]|\bwhile\b", window)[-1]
    found = [m for m in _OUTCOME_RE.finditer(window)]
    for m in reversed(found):
        label = _outcome_label(m)
        if (label == "attacked") == (subject in _ATTACK_SUBJECTS):
            return label
    tail = masked[subj_end : subj_end + 60]
    tail = re.split(r"[;.]", tail)[0]
    for m in _OUTCOME_RE.finditer(tail):
        label = _outcome_label(m)
        if (label == "attacked") == (subject in _ATTACK_SUBJECTS):
            return label
    return None


def _quote_start(masked: str, start: int) -> int:
    """Start a quote at the outcome word when it sits just before the figure."""
    window_start = max(0, start - 40)
    found = [m for m in _OUTCOME_RE.finditer(masked[window_start:start])]
    if found:
        m = found[-1]
        between = masked[window_start + m.end() : start]
        if len(between.split()) <= 4 and not re.search(r"[,;]|\band\b", between):
            return window_start + m.start()
    return start
