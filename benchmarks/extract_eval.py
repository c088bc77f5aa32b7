"""Measure ``mapper extract`` against a person's hand coding of the same articles.

Usage::

    python benchmarks/extract_eval.py ARTICLES_DIR GOLD_DIR [--published FILE=YYYY-MM-DD ...]

``GOLD_DIR`` holds ``incidents.csv`` and ``claims.csv`` in the dataset schema
(the bundled dataset) or the development set's reduced form (see
tests/fixtures/extract/README.md). Figures printed:

- places recall: distinct places the person coded that the draft has, placed
  within 10 km of where the gazetteer puts the person's place;
- places precision: distinct draft places that are within 10 km of a coded place;
- claims: coded figures the draft has with the same low/high, outcome, subject
  and claimant (same side, and a word of the name in common; for side
  ``media`` the side alone), and the share of draft figures matching a coded one;
- dates: coded incidents for which the draft has an incident at that place
  with the same date and date precision.

The seeds are not in the repository (they are not ours to ship); this script
reads them from wherever they are.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from pathlib import Path

import pandas as pd

from mapper import Gazetteer
from mapper.extraction import ARTICLE_SUFFIXES, extract
from mapper.extraction.article import read_article

_GENERIC = {"the", "and", "of", "pakistani", "pakistan", "pakistan's", "s", "a", "its"}


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = (
        math.sin((la2 - la1) / 2) ** 2
        + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    )
    return 6371 * 2 * math.asin(math.sqrt(h))


def _words(name: str) -> set[str]:
    out = set()
    for w in re.findall(r"[a-z]+", name.lower()):
        if w in _GENERIC:
            continue
        out.add(w.rstrip("s") if len(w) > 4 else w)
    return out


def _point(g: Gazetteer, row: pd.Series) -> tuple[float, float] | None:
    def hint(c: str) -> str | None:
        v = row.get(c)
        return None if pd.isna(v) or v == "" else str(v)

    m = g.resolve(
        row["place"], country=hint("country"), province=hint("province"), district=hint("district")
    )
    return (m.latitude, m.longitude) if m.resolved else None


def evaluate(articles_dir: Path, gold_dir: Path, published: dict[str, str]) -> dict[str, float]:
    """Return the figures (and print them with their counts)."""
    g = Gazetteer.default()
    files = sorted(f for f in articles_dir.rglob("*") if f.suffix.lower() in ARTICLE_SUFFIXES)
    arts = [read_article(f, published=_date(published.get(f.name))) for f in files]
    ds, _ = extract(arts, gazetteer=g)
    gold_inc = pd.read_csv(gold_dir / "incidents.csv", dtype=str, keep_default_na=False)
    gold_cl = pd.read_csv(gold_dir / "claims.csv", dtype=str, keep_default_na=False)
    inc = ds.incidents
    got = [
        (r.latitude, r.longitude, r.date.strftime("%Y-%m-%d"), r.date_precision)
        for r in inc.itertuples()
        if r.placement == "placed"
    ]
    gold_points = [(_point(g, r), r["date"], r["date_precision"]) for _, r in gold_inc.iterrows()]
    # Strict: the same point *and* the same location precision ("Chagai" the district is not
    # "Dalbandin" the town, although the district's point is its headquarters town).
    gold_strict = {
        (round(p[0], 2), round(p[1], 2), r["location_precision"])
        for (p, _, _), (_, r) in zip(gold_points, gold_inc.iterrows(), strict=True)
        if p
    }
    got_strict = {
        (round(r.latitude, 2), round(r.longitude, 2), r.location_precision)
        for r in inc.itertuples()
        if r.placement == "placed"
    }
    strict_found = len(gold_strict & got_strict)
    distinct_gold: list[tuple[float, float]] = []
    for p, _, _ in gold_points:
        if p and all(_km(p, q) > 1 for q in distinct_gold):
            distinct_gold.append(p)
    distinct_got: list[tuple[float, float]] = []
    for la, lo, _, _ in got:
        if all(_km((la, lo), q) > 1 for q in distinct_got):
            distinct_got.append((la, lo))
    found = sum(any(_km(p, q) <= 10 for q in distinct_got) for p in distinct_gold)
    correct = sum(any(_km(p, q) <= 10 for q in distinct_gold) for p in distinct_got)
    dated = 0
    for p, d, prec in gold_points:
        if p and any(_km(p, (la, lo)) <= 10 and d == gd and prec == gp for la, lo, gd, gp in got):
            dated += 1
    claims = ds.claims
    matched = 0
    used: set[int] = set()
    for _, c in gold_cl.iterrows():
        high = int(c["high"]) if c["high"] else None
        for j, e in enumerate(claims.itertuples()):
            e_high = None if pd.isna(e.high) else int(e.high)
            if (
                int(e.low) == int(c["low"])
                and e_high == high
                and e.subject == c["subject"]
                and e.outcome == c["outcome"]
                and e.claimant_side == c["claimant_side"]
                and (c["claimant_side"] == "media" or _words(e.claimant) & _words(c["claimant"]))
            ):
                matched += 1
                used.add(j)
                break
    good_figures = sum(
        any(
            int(e.low) == int(c["low"]) and e.subject == c["subject"] and e.outcome == c["outcome"]
            for _, c in gold_cl.iterrows()
        )
        for e in claims.itertuples()
    )
    res = {
        "places_recall": found / max(1, len(distinct_gold)),
        "places_precision": correct / max(1, len(distinct_got)),
        "claims_recall": matched / max(1, len(gold_cl)),
        "claims_precision": good_figures / max(1, len(claims)),
        "dates": dated / max(1, len(gold_inc)),
    }
    print(f"articles: {len(arts)}  draft incidents: {len(inc)}  draft claims: {len(claims)}")
    res["places_strict_recall"] = strict_found / max(1, len(gold_strict))
    res["places_strict_precision"] = strict_found / max(1, len(got_strict))
    lines = [
        (
            "places   (strict: same point and precision) found",
            strict_found,
            len(gold_strict),
            "places_strict_recall",
            "-",
        ),
        (
            "places   (strict: same point and precision) correct",
            strict_found,
            len(got_strict),
            "places_strict_precision",
            "-",
        ),
        ("places   found and placed right", found, len(distinct_gold), "places_recall", "90%"),
        ("places   found that are correct", correct, len(distinct_got), "places_precision", "90%"),
        (
            "claims   right figure+outcome+subject+claimant",
            matched,
            len(gold_cl),
            "claims_recall",
            "80%",
        ),
        (
            "claims   draft figures matching a coded one",
            good_figures,
            len(claims),
            "claims_precision",
            "-",
        ),
        (
            "dates    coded incidents dated right (date+precision)",
            dated,
            len(gold_inc),
            "dates",
            "85%",
        ),
    ]
    for label, k, n, key, target in lines:
        print(f"{label}: {k}/{n} = {res[key]:.0%} (target {target})")
    return res


def _date(text: str | None):
    from datetime import date

    return date.fromisoformat(text) if text else None


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation from the command line."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("articles", type=Path, nargs="?")
    p.add_argument("gold", type=Path, nargs="?")
    p.add_argument("--published", action="append", default=[], metavar="FILE=DATE")
    p.add_argument(
        "--smoke", action="store_true", help="the development set in tests/: checks it runs"
    )
    args = p.parse_args(argv)
    if args.smoke:
        dev = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "extract"
        args.articles, args.gold = dev, dev / "gold"
    if args.articles is None or args.gold is None:
        p.error("give ARTICLES and GOLD (or --smoke)")
    published = dict(item.split("=", 1) for item in args.published)
    evaluate(args.articles, args.gold, published)
    return 0


if __name__ == "__main__":
    sys.exit(main())
