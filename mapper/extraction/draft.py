"""From the mentions of many articles to draft incidents, claims and operations.

A sentence that reports an event (an attack, a raid, a killing, an arrest, a
protest...) or gives a figure makes one mention per place it names, dated by
the sentence's own date, else by the operation it names, else by the
article's main date (the day it names most often in the month before
publication, with a note saying so). A sentence with neither a place nor a
date nor a figure is background and makes nothing. Mentions of the same
place on the same date (at the same precision) are one incident, across
articles. A figure is about the one incident of its sentence, or the
operation the sentence names or refers back to ("the offensive"), or, when
the sentence names several places with one figure, an operation grouping
them (made by the extractor, and named so).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from mapper.extraction.article import Article, Sentence, split_sentences
from mapper.extraction.dates import DateMention, find_dates
from mapper.extraction.figures import ClaimMention, claimant_side, find_figures, last_armed_group
from mapper.extraction.places import PlaceMention, article_region, find_places

if TYPE_CHECKING:
    import pandas as pd

    from mapper.gazetteer import Gazetteer

__all__ = ["Draft", "Span", "build_draft"]

#: The status of every row the extractor writes.
DRAFT = "draft"

_TRIGGERS: tuple[tuple[str, str, str], ...] = (
    (
        r"protest(?:s|ed|ers)?|rall(?:y|ies)|sit-ins?|demonstrations?|march(?:ed)?\b",
        "Protests",
        "Peaceful protest",
    ),
    (
        r"arrest(?:s|ed)?|detain(?:ed|ing)?|detentions?|apprehended|crackdowns?",
        "Strategic developments",
        "Arrests",
    ),
    (
        r"abduct(?:ed|ion|ions)?|kidnapp(?:ed|ing)",
        "Violence against civilians",
        "Abduction/forced disappearance",
    ),
    (
        r"suicide\s+(?:bomb(?:ing|er|ers|ings)?|attacks?)",
        "Explosions/Remote violence",
        "Suicide bomb",
    ),
    (
        r"IEDs?|roadside\s+bomb|bomb\s+blast|blasts?|explosions?|bombings?|landmines?",
        "Explosions/Remote violence",
        "Remote explosive/landmine/IED",
    ),
    (r"grenades?", "Explosions/Remote violence", "Grenade"),
    (r"air\s*strikes?|drone\s+strikes?", "Explosions/Remote violence", "Air/drone strike"),
    (
        r"shelling|mortars?|rockets?",
        "Explosions/Remote violence",
        "Shelling/artillery/missile attack",
    ),
    (
        r"attack(?:s|ed|ing)?|assaults?|raids?|raided|strikes|clash(?:es|ed)?|firefights?"
        r"|gunfights?|encounters?|ambush(?:ed)?|offensive|clearance\s+operations?"
        r"|search\s+operations?|fighting|gunfire|stormed|targeted|targeting|killed|killing"
        r"|killings|shot\s+dead|gunned\s+down|martyred|died|deaths|wounded|injured|hostages?",
        "Battles",
        "Armed clash",
    ),
)
_TRIGGER_RE = [(re.compile(rf"\b(?:{p})\b", re.I), t, s) for p, t, s in _TRIGGERS]
_CIVILIAN_VICTIM = re.compile(r"\b(?:student|journalist|activist|civilian|teacher|doctor)\b", re.I)
_OPERATION = re.compile(
    r"\bOperation\s+(?:[A-Z][\w'-]*|\d[\w.]*)(?:\s+(?:Phase\s+)?(?:[A-Z][\w'-]*|\d+(?:\.\d+)?))*"
)
_OP_REFERENCE = re.compile(
    r"\b(?:the|this|that|its)\s+(?:\w+\s+)?(?:offensive|operation|attacks|assault|campaign)\b",
    re.I,
)
_STATE_ACTORS = re.compile(
    r"\b(?:security\s+forces|Pakistani\s+forces|army|military|police|FC|Frontier\s+Corps|Levies"
    r"|CTD|paramilitary\s+forces|troops|authorities)\b",
    re.I,
)


@dataclass(frozen=True)
class Span:
    """One extracted piece of an article, linked to the draft row it went into.

    ``start``/``end`` are offsets in the article's text; ``kind`` is ``place``,
    ``not a place``, ``date``, ``figure``, ``claimant`` or ``operation``;
    ``table``/``row`` name the draft row (empty when the span made none).
    """

    article: int
    start: int
    end: int
    kind: str
    text: str
    table: str = ""
    row: str = ""
    note: str = ""


@dataclass
class _Mention:
    article: int
    sentence: Sentence
    place: PlaceMention | None
    place_name: str
    district: str | None
    province: str | None
    country: str | None
    precision: str
    date: date
    date_end: date | None
    date_precision: str
    date_note: str
    event_type: str
    sub_event_type: str
    actor1: str
    actor2: str
    operation: str
    date_span: DateMention | None


@dataclass
class Draft:
    """Draft tables (text cells, as written) and the spans that produced them."""

    incidents: list[dict[str, str]] = field(default_factory=list)
    claims: list[dict[str, str]] = field(default_factory=list)
    operations: list[dict[str, str]] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def frames(self) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """Return incidents, claims and operations as DataFrames with the schema's columns."""
        import pandas as pd

        from mapper.schema import CLAIM_COLUMNS, INCIDENT_COLUMNS, OPERATION_COLUMNS

        return (
            pd.DataFrame(self.incidents, columns=list(INCIDENT_COLUMNS), dtype=str).fillna(""),
            pd.DataFrame(self.claims, columns=list(CLAIM_COLUMNS), dtype=str).fillna(""),
            pd.DataFrame(self.operations, columns=list(OPERATION_COLUMNS), dtype=str).fillna(""),
        )


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "x"


def _op_key(name: str) -> str:
    words = [w for w in name.split()[1:] if w.lower() != "phase"]
    return _slug(" ".join(words))


def _triggers(text: str) -> tuple[str, str] | None:
    """Return the event type of the earliest event word in ``text`` (None when there is none)."""
    found = []
    for rank, (rx, t, s) in enumerate(_TRIGGER_RE):
        m = rx.search(text)
        if m:
            found.append((m.start(), rank, t, s))
    if not found:
        return None
    _, _, t, s = min(found)
    return t, s


def _cite(article: Article) -> str:
    pub = f", {article.published:%d %b %Y}" if article.published else ""
    return f"{article.source}{pub}"


def _sentence_cite(article: Article, index: int, s: Sentence) -> str:
    return f"{_cite(article)}, sentence {index + 1}: “{s.text}”"


class _Builder:
    def __init__(self, gaz: Gazetteer) -> None:
        self.gaz = gaz
        self.draft = Draft()
        self.mentions: list[_Mention] = []
        self.claims: list[tuple[int, int, Sentence, ClaimMention, list[int], str, date | None]] = []
        self.ops: dict[str, dict[str, Any]] = {}
        self.articles: list[Article] = []

    # -- one article -------------------------------------------------------------

    def add(self, article: Article) -> None:
        ai = len(self.articles)
        self.articles.append(article)
        sentences = split_sentences(article.text)
        if not sentences:
            return
        texts = [s.text for s in sentences]

        dateline_starts = [a for a, _ in article.datelines]

        def after_dateline(s: Sentence) -> int:
            # The dateline (if any) that starts inside this sentence or covers its start.
            i = bisect.bisect_right(dateline_starts, s.end - 1) - 1
            if i < 0:
                return 0
            a, b = article.datelines[i]
            return max(0, b - s.start) if a <= s.start < b or s.start <= a < s.end else 0

        region = article_region(
            [t[after_dateline(s) :] for s, t in zip(sentences, texts, strict=True)], self.gaz
        )
        lowercase = frozenset(re.findall(r"\b[a-z][a-z]+\b", article.text))
        pub = article.published
        per_sentence = []
        day_counts: Counter[date] = Counter()
        for s in sentences:
            local_offset = after_dateline(s)
            dates = [d for d in find_dates(s.text, pub) if d.start >= local_offset]
            ops = [m for m in _OPERATION.finditer(s.text)]
            per_sentence.append((s, local_offset, dates, ops))
            for d in dates:
                recent_day = pub is None or pub - timedelta(days=31) <= d.date <= pub
                if d.kind == "event" and d.precision == "day" and not d.relative and recent_day:
                    day_counts[d.date] += 1
        main_date = None
        if day_counts:
            top = max(day_counts.values())
            main_date = max(d for d, n in day_counts.items() if n == top)
        # Operations: named, dated by their sentence or the one after.
        for i, (s, _, _, ops) in enumerate(per_sentence):
            for om in ops:
                key = _op_key(om.group(0))
                op = self.ops.setdefault(
                    key,
                    {"name": om.group(0), "date": None, "actor": "", "articles": set()},
                )
                op["articles"].add(ai)
                self._span(
                    ai,
                    s.start + om.start(),
                    s.start + om.end(),
                    "operation",
                    om.group(0),
                    "operations",
                    key,
                )
                if op["date"] is None:
                    for _, _, dd, _ in per_sentence[i : i + 2]:
                        days = [d for d in dd if d.kind == "event" and d.precision == "day"]
                        if days:
                            op["date"] = days[0].date
                            break
                if not op["actor"]:
                    group = last_armed_group(s.text[: om.start()], None)
                    op["actor"] = group or ""
        last_group: str | None = None
        last_op: str | None = None
        first_dateline = min((a for a, _ in article.datelines), default=0)
        recent: list[tuple[int, list[int]]] = []  # (sentence index, mention indices)
        for idx, (s, local_offset, dates, ops) in enumerate(per_sentence):
            text = s.text
            if s.end <= first_dateline:
                continue  # a headline above the dateline repeats the report
            # Only the last few event sentences can be what this one goes on about.
            del recent[:-6]
            last_group_before = last_group
            places = find_places(
                text, self.gaz, region, lowercase_words=lowercase, offset=local_offset
            )
            skip = [(d.start, d.end) for d in dates] + [om.span() for om in ops]
            skip.append((0, local_offset))
            figures = find_figures(text, skip=skip, last_group=last_group_before)
            last_group = last_armed_group(text, last_group)
            op_keys = [_op_key(om.group(0)) for om in ops]
            if op_keys:
                last_op = op_keys[0]
            for p in places:
                if p.role != "place" and not any(a <= p.start < b for a, b in skip):
                    self._span(ai, s.start + p.start, s.start + p.end, p.role, p.text, note=p.note)
            trig = _triggers(text[local_offset:])
            if trig is None and not figures:
                continue
            event_dates = [d for d in dates if d.kind == "event"]
            statement = next((d.date for d in dates if d.kind == "statement"), None)
            good = [p for p in places if p.role == "place"]
            fine = [p for p in good if p.precision not in ("province", "country")]
            chosen = fine or good[:1]
            explicit = bool(event_dates)
            if not chosen and not explicit:
                # No place, no date: figures go to the operation the text is about, if any.
                target = op_keys[0] if op_keys else last_op
                if not figures:
                    continue
                near = [
                    m
                    for i, m in recent
                    if idx - i <= 2 or s.paragraph - per_sentence[i][0].paragraph <= 1
                ]
                refers_to_op = op_keys or (_OP_REFERENCE.search(text) and last_op)
                if near and not refers_to_op:
                    # "in the ambush": the figures are about the event just reported.
                    for f in figures:
                        self.claims.append((ai, idx, s, f, near[-1], "", statement or pub))
                    recent.append((idx, near[-1]))  # the story goes on about that event
                    continue
                if target is not None:
                    for f in figures:
                        self.claims.append((ai, idx, s, f, [], target, statement or pub))
                    continue
            date_span = event_dates[0] if event_dates else None
            note = ""
            same_place = [
                self.mentions[i]
                for _, ms in recent
                for i in ms
                if chosen
                and self.mentions[i].place is not None
                and self.mentions[i].place.name == chosen[0].name
            ]
            if date_span is not None:
                d0, d_end, prec = date_span.date, date_span.date_end, date_span.precision
            elif same_place:
                last = same_place[-1]
                d0, d_end, prec = last.date, last.date_end, last.date_precision
                note = "date not in the sentence: that of the same place's event just before"
            elif op_keys and self.ops[op_keys[0]]["date"] is not None:
                d0, d_end, prec = self.ops[op_keys[0]]["date"], None, "day"
                note = f"date not in the sentence: that of {self.ops[op_keys[0]]['name']}"
            elif main_date is not None:
                d0, d_end, prec = main_date, None, "day"
                note = "date not in the sentence: the day the article names most"
            elif pub is not None:
                d0, d_end, prec = pub - timedelta(days=pub.weekday()), None, "week"
                note = "date not in the sentence: the week of publication"
            else:
                self.draft.notes.append(
                    f"{article.source}: sentence {idx + 1} reports an event but no date can be "
                    "given (no date in it and no publication date); left out"
                )
                continue
            if date_span is not None:
                self._span(
                    ai,
                    s.start + date_span.start,
                    s.start + date_span.end,
                    "date",
                    date_span.text,
                    note=f"{d0.isoformat()} ({prec})",
                )
            event_type, sub = trig if trig else ("Battles", "Armed clash")
            if sub == "Peaceful protest" and re.search(
                r"crackdown|disrupt|dispers|detain|arrest", text, re.I
            ):
                sub = "Protest with intervention"
            if (
                event_type == "Battles"
                and _CIVILIAN_VICTIM.search(text)
                and re.search(r"\bkill(?:ing|ed)\b", text, re.I)
            ):
                event_type, sub = "Violence against civilians", "Attack"
            actor_group = last_armed_group(text, None) or ""
            state = _STATE_ACTORS.search(text)
            state_name = state.group(0) if state else ""
            if actor_group and state_name:
                first_group = text.find(actor_group) < state.start()
                actor1, actor2 = (
                    (actor_group, state_name) if first_group else (state_name, actor_group)
                )
            else:
                actor1, actor2 = actor_group or state_name, ""
            op = op_keys[0] if op_keys else ""
            indices = []
            if not chosen and region.province:
                m = self.gaz.resolve(region.province, country=region.country)
                chosen_specs = [
                    (
                        None,
                        m.matched_name or region.province,
                        None,
                        m.province,
                        m.country,
                        "province",
                    )
                ]
                note = (note + "; " if note else "") + (
                    "no place in the sentence: the article's province"
                )
            elif not chosen:
                chosen_specs = [(None, "", None, None, region.country, "country")]
                note = (note + "; " if note else "") + "no place in the sentence: unplaced"
            else:
                chosen_specs = [
                    (
                        p,
                        p.text if p.precision != "province" else p.name,
                        p.district,
                        p.province,
                        p.country,
                        p.precision,
                    )
                    for p in chosen
                ]
            for p, name, district, province, country, precision in chosen_specs:
                if p is not None and p.note.startswith("'"):
                    name = p.name or name
                self.mentions.append(
                    _Mention(
                        ai,
                        s,
                        p,
                        name or "",
                        district,
                        province,
                        country,
                        precision or "",
                        d0,
                        d_end,
                        prec,
                        note,
                        event_type,
                        sub,
                        actor1,
                        actor2,
                        op,
                        date_span,
                    )
                )
                indices.append(len(self.mentions) - 1)
            recent.append((idx, indices))
            for f in figures:
                target_op = op
                if not target_op and len(indices) != 1 and _OP_REFERENCE.search(text) and last_op:
                    target_op = last_op
                self.claims.append((ai, idx, s, f, indices, target_op, statement or pub))

    def _span(
        self,
        ai: int,
        a: int,
        b: int,
        kind: str,
        text: str,
        table: str = "",
        row: str = "",
        note: str = "",
    ) -> None:
        self.draft.spans.append(Span(ai, a, b, kind, text, table, row, note))

    # -- grouping ------------------------------------------------------------------

    def finish(self) -> Draft:
        groups: dict[tuple[Any, ...], list[int]] = {}
        for i, m in enumerate(self.mentions):
            key = (
                m.place_name.lower() if m.place is None else (m.place.name or "").lower(),
                m.date,
                m.date_end,
                m.date_precision,
                m.place is None and m.precision,
            )
            groups.setdefault(key, []).append(i)
        incident_of: dict[int, str] = {}
        date_spans = {
            (sp.article, sp.start): k for k, sp in enumerate(self.draft.spans) if sp.kind == "date"
        }
        used_ids: set[str] = set()
        order = ("exact", "near", "district", "province", "country")
        for members in groups.values():
            ms = [self.mentions[i] for i in members]
            first = ms[0]
            base = f"draft-{first.date.isoformat()}-{_slug(first.place_name or 'unplaced')}"
            iid, n = base, 2
            while iid in used_ids:
                iid, n = f"{base}-{n}", n + 1
            used_ids.add(iid)
            for i in members:
                incident_of[i] = iid
            precision = min((m.precision for m in ms if m.precision), key=order.index, default="")
            arts = sorted({m.article for m in ms})
            sentences = []
            for m in ms:
                cite = _sentence_cite(self.articles[m.article], 0, m.sentence).split(", sentence")[
                    0
                ]
                sentences.append(f"{cite}: “{m.sentence.text}”")
            notes = sorted({m.date_note for m in ms if m.date_note})
            place_notes = sorted({m.place.note for m in ms if m.place is not None and m.place.note})
            description = (
                "DRAFT made by mapper extract; check it against the sentence(s) it cites. "
                + " ".join(dict.fromkeys(sentences))
                + (
                    " Notes: " + "; ".join(notes + place_notes) + "."
                    if notes or place_notes
                    else ""
                )
            )
            op = next((m.operation for m in ms if m.operation), "")
            self.draft.incidents.append(
                {
                    "incident_id": iid,
                    "date": first.date.isoformat(),
                    "date_end": first.date_end.isoformat() if first.date_end else "",
                    "date_precision": first.date_precision,
                    "place": first.place_name,
                    "latitude": "",
                    "longitude": "",
                    "location_precision": precision if first.place_name else "",
                    "district": first.district or "",
                    "province": first.province or "",
                    "country": first.country or "",
                    "event_type": first.event_type,
                    "sub_event_type": first.sub_event_type,
                    "actor1": first.actor1,
                    "actor2": first.actor2,
                    "operation": op,
                    "description": description,
                    "sources": "; ".join(_cite(self.articles[a]) for a in arts),
                    "status": DRAFT,
                }
            )
            for m in ms:
                if m.place is not None:
                    a = m.sentence.start + m.place.start
                    self._span(
                        m.article,
                        a,
                        m.sentence.start + m.place.end,
                        "place",
                        m.place.text,
                        "incidents",
                        iid,
                        f"{m.place.name} ({m.precision})"
                        + (f"; {m.place.note}" if m.place.note else ""),
                    )
                if m.date_span is not None:
                    k = date_spans.get((m.article, m.sentence.start + m.date_span.start))
                    if k is not None:
                        sp = self.draft.spans[k]
                        self.draft.spans[k] = Span(
                            sp.article,
                            sp.start,
                            sp.end,
                            sp.kind,
                            sp.text,
                            "incidents",
                            iid,
                            sp.note,
                        )
        # Operations named in the text.
        for key, op in self.ops.items():
            self.draft.operations.append(
                {
                    "operation": key,
                    "name": op["name"],
                    "actor": op["actor"],
                    "date": op["date"].isoformat() if op["date"] else "",
                    "date_end": "",
                    "description": "DRAFT made by mapper extract: an operation the text names.",
                    "sources": "; ".join(_cite(self.articles[a]) for a in sorted(op["articles"])),
                }
            )
        for k, sp in enumerate(self.draft.spans):
            if sp.kind == "operation":
                self.draft.spans[k] = Span(
                    sp.article, sp.start, sp.end, sp.kind, sp.text, "operations", sp.row, sp.note
                )
        self._claims(incident_of)
        return self.draft

    def _claims(self, incident_of: dict[int, str]) -> None:
        seen: dict[tuple[Any, ...], str] = {}
        groups_made: dict[tuple[str, ...], str] = {}
        n = 0
        for ai, idx, s, f, indices, target_op, claimed_on in self.claims:
            article = self.articles[ai]
            incidents = sorted({incident_of[i] for i in indices})
            incident_id, operation = "", target_op
            if not operation:
                if len(incidents) == 1:
                    incident_id = incidents[0]
                elif len(incidents) > 1:
                    key = tuple(incidents)
                    if key not in groups_made:
                        gid = f"draft-group-{len(groups_made) + 1}"
                        groups_made[key] = gid
                        first = next(r for r in self.draft.incidents if r["incident_id"] == key[0])
                        self.draft.operations.append(
                            {
                                "operation": gid,
                                "name": "Places one figure covers (grouped by the extractor)",
                                "actor": first["actor1"],
                                "date": first["date"],
                                "date_end": "",
                                "description": "DRAFT made by mapper extract: the sentence gives "
                                "one figure for these places together; the text names no "
                                "operation.",
                                "sources": _cite(article),
                            }
                        )
                        for r in self.draft.incidents:
                            if r["incident_id"] in key and not r["operation"]:
                                r["operation"] = gid
                    operation = groups_made[key]
                else:
                    continue
            dedupe = (ai, f.side, f.subject, f.outcome, f.low)
            fig_span = (s.start + f.start, s.start + f.end)
            if dedupe in seen:
                self._span(
                    ai,
                    *fig_span,
                    "figure",
                    s.text[f.start : f.end],
                    "claims",
                    seen[dedupe],
                    "the same party's figure again",
                )
                continue
            n += 1
            subject = f.subject.replace(" ", "-")
            cid = f"draft-claim-{n}-{_slug(f.claimant)[:20]}-{subject}-{f.outcome}"
            seen[dedupe] = cid
            self.draft.claims.append(
                {
                    "claim_id": cid,
                    "incident_id": incident_id,
                    "operation": operation if not incident_id else "",
                    "claimant": f.claimant,
                    "claimant_side": f.side or claimant_side(f.claimant),
                    "claimed_on": claimed_on.isoformat() if claimed_on else "",
                    "subject": f.subject,
                    "outcome": f.outcome,
                    "low": str(f.low),
                    "high": "" if f.high is None else str(f.high),
                    "quote": f.quote,
                    "source": _sentence_cite(article, idx, s),
                }
            )
            label = (
                f"{f.subject} {f.outcome}: {f.low}"
                + ("" if f.high == f.low else (f"–{f.high}" if f.high else "+"))
                + f" (claimed by {f.claimant})"
            )
            self._span(ai, *fig_span, "figure", s.text[f.start : f.end], "claims", cid, label)
            if f.claimant_span:
                a, b = f.claimant_span
                self._span(
                    ai,
                    s.start + a,
                    s.start + b,
                    "claimant",
                    s.text[a:b],
                    "claims",
                    cid,
                    f"{f.claimant} ({f.side or 'side unknown'})",
                )


def build_draft(articles: list[Article], gaz: Gazetteer) -> Draft:
    """Return the draft tables for ``articles`` and the spans they came from."""
    builder = _Builder(gaz)
    for article in articles:
        builder.add(article)
    draft = builder.finish()
    draft.spans.sort(key=lambda sp: (sp.article, sp.start, sp.end))
    return draft
