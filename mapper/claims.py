"""Claims arithmetic: every party's figure side by side, and what can be derived from them.

Figures are never merged: :func:`claim_ranges` keeps one row per claim and adds,
for the group of claims about the same thing (one incident or one operation,
one subject, one outcome), the range across every claimant, the spread between
the highest and the lowest figure, and the conservative figure (the lowest any
party claimed), each with the claim ids behind it.

A claim's own figure is ``low``–``high``; a claim without ``high`` counts as its
``low`` both ways ("over 80" counts as 80, never as more). A claim that is part
of another (``part_of``: UCDP's civilians within its best estimate) is listed in
its group but never counts towards the range of a group that holds its whole,
and nothing here ever adds figures together.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from mapper.schema import CLAIM_COLUMNS

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["RANGE_COLUMNS", "claim_groups", "claim_ranges", "stated_figure"]

#: Columns of :func:`claim_ranges`, in order.
RANGE_COLUMNS: tuple[str, ...] = (
    "target",  # "incident" or "operation"
    "target_id",  # the incident_id or the operation the claims are about
    "subject",
    "outcome",
    "claim_id",
    "claimant",
    "claimant_side",
    "claimed_on",
    "low",
    "high",
    "quote",
    "source",
    "part_of",  # the claim_id of the whole this figure is part of (empty for most)
    "claimants",  # how many distinct parties made a claim in the group
    "range_low",  # the lowest figure any claim in the group gives
    "range_high",  # the highest figure any claim in the group gives
    "range_low_claims",  # claim ids giving range_low, joined by "|"
    "range_high_claims",
    "spread",  # range_high / range_low (NaN when range_low is 0)
    "conservative",  # the lowest figure any party claimed (= range_low)
    "conservative_claimants",  # who claimed it, joined by "|"
)


# A word that qualifies a figure in a claimant's own phrase: "at least 31", "over 80".
_QUALIFIER = re.compile(
    r"\b(at least|more than|over|up to|nearly|almost|about|around|approximately|some)\s+"
    r"(\d[\d,]*)(\+?)",
    re.IGNORECASE,
)


def stated_figure(low: object, high: object, quote: object = None) -> str:
    """Return a claim's figure as its claimant stated it: "17", "84–94", "at least 31".

    Parameters
    ----------
    low, high : int or None
        The claim's figures (``high`` missing for "over 80").
    quote : str, optional
        The claimant's phrase. A qualifying word right before the figure in it
        ("at least", "over", "up to", ...) is kept, as is a "+" after it.

    Examples
    --------
    >>> stated_figure(31, None, "at least 31 civilians")
    'at least 31'
    >>> stated_figure(84, 94, "84 or 94 troops")
    '84\u201394'
    >>> stated_figure(17, 17, "17 security personnel")
    '17'
    """
    import pandas as pd

    if low is None or low is pd.NA or (isinstance(low, float) and low != low):
        return ""
    lo = int(low)
    hi = None if high is None or high is pd.NA or high != high else int(high)
    figure = str(lo) if hi is None or hi == lo else f"{lo}\u2013{hi}"
    if isinstance(quote, str):
        for m in _QUALIFIER.finditer(quote):
            if int(m[2].replace(",", "")) == lo and hi in (None, lo):
                return f"{m[1].lower()} {lo}{m[3]}"
    return figure


def claim_ranges(claims: pd.DataFrame) -> pd.DataFrame:
    """Set every claim beside the others about the same incident or operation and outcome.

    Parameters
    ----------
    claims : pandas.DataFrame
        A claims table (columns of :data:`mapper.schema.CLAIM_COLUMNS`), e.g.
        ``read_dataset().claims``. A claim naming an incident is about that
        incident even when it also names the operation.

    Returns
    -------
    pandas.DataFrame
        One row per claim (none merged), columns :data:`RANGE_COLUMNS`, sorted
        by target, subject, outcome, then figure and claim id, so the output is
        the same for the same claims in any order.

    Examples
    --------
    >>> import pandas as pd
    >>> claims = pd.DataFrame({
    ...     "claim_id": ["a", "b"], "incident_id": ["i1", "i1"], "operation": [None, None],
    ...     "claimant": ["Army", "Rebels"], "subject": ["security forces"] * 2,
    ...     "outcome": ["killed"] * 2, "low": [17, 84], "high": [None, 94],
    ...     "source": ["s1", "s2"]})
    >>> r = claim_ranges(claims)
    >>> print(r[["claimant", "low", "high", "range_low", "range_high", "spread"]].to_string())
      claimant  low  high  range_low  range_high  spread
    0     Army   17  <NA>         17          94    5.53
    1   Rebels   84    94         17          94    5.53
    """
    import numpy as np
    import pandas as pd

    df = pd.DataFrame(index=range(len(claims)))
    for col in (c for c in CLAIM_COLUMNS if c not in ("low", "high")):
        values = claims[col].reset_index(drop=True) if col in claims.columns else None
        df[col] = (
            pd.Series(values, dtype=str)
            if values is not None
            else pd.Series([pd.NA] * len(claims), dtype=str)
        )
    for col in ("low", "high"):
        values = claims[col] if col in claims.columns else pd.Series([pd.NA] * len(claims))
        df[col] = pd.to_numeric(values.reset_index(drop=True), errors="coerce").astype("Int64")

    on_incident = df["incident_id"].notna() & (df["incident_id"] != "")
    df["target"] = np.where(on_incident, "incident", "operation")
    df["target_id"] = df["incident_id"].where(on_incident, df["operation"])
    df = df[df["target_id"].notna() & df["low"].notna()].copy()

    upper = df["high"].fillna(df["low"])
    df["_low"] = df["low"].astype("float64")
    df["_up"] = upper.astype("float64")
    keys = ["target", "target_id", "subject", "outcome"]
    for col in ("subject", "outcome"):
        df[col] = df[col].fillna("")
    # A part whose whole is in its own group (a district's dead within the same
    # count's total) would pass for a lower claim about the whole: it is left out
    # of the group's range. Nothing is ever summed, so a part cannot inflate one.
    df["part_of"] = df["part_of"].fillna("").str.strip()
    group_of = dict(zip(df["claim_id"], zip(*(df[k] for k in keys), strict=True), strict=True))
    whole_here = [
        bool(p) and group_of.get(p) == g
        for p, g in zip(df["part_of"], zip(*(df[k] for k in keys), strict=True), strict=True)
    ]
    counted = ~pd.Series(whole_here, index=df.index, dtype=bool)
    df["_low"] = df["_low"].where(counted)
    df["_up"] = df["_up"].where(counted)
    grouped = df.groupby(keys, sort=False, dropna=False)
    df["range_low"] = grouped["_low"].transform("min")
    df["range_high"] = grouped["_up"].transform("max")
    df["claimants"] = grouped["claimant"].transform(lambda s: s.dropna().nunique())

    def ids_where(column: str, target: str) -> pd.Series:
        hit = df[column] == df[target]
        picked = df["claim_id"].where(hit)
        return picked.groupby([df[k] for k in keys], sort=False, dropna=False).transform(
            lambda s: "|".join(sorted(s.dropna()))
        )

    df["range_low_claims"] = ids_where("_low", "range_low")
    df["range_high_claims"] = ids_where("_up", "range_high")
    who = df["claimant"].where(df["_low"] == df["range_low"])
    df["conservative_claimants"] = who.groupby(
        [df[k] for k in keys], sort=False, dropna=False
    ).transform(lambda s: "|".join(sorted(set(s.dropna()))))
    with np.errstate(divide="ignore", invalid="ignore"):
        spread = df["range_high"] / df["range_low"]
    df["spread"] = spread.where(df["range_low"] > 0).round(2)
    df["conservative"] = df["range_low"]
    for col in ("range_low", "range_high", "conservative", "claimants"):
        df[col] = df[col].astype("Int64")
    df = df.sort_values(
        [*keys, "_low", "_up", "claim_id"], kind="stable", na_position="last"
    ).reset_index(drop=True)
    out = df[list(RANGE_COLUMNS)].copy()
    for col in (
        "target",
        "target_id",
        "subject",
        "outcome",
        "range_low_claims",
        "range_high_claims",
        "conservative_claimants",
    ):
        out[col] = out[col].astype(str)
    out["part_of"] = out["part_of"].replace("", pd.NA)
    return out


def claim_groups(ranges: pd.DataFrame) -> list[dict]:
    """Nest :func:`claim_ranges` output: one dict per group with its claims listed.

    Suits JSON output; every number stays beside the claim ids behind it.
    """
    import pandas as pd

    def clean(value: object) -> object:
        if value is None or value is pd.NA:
            return None
        if isinstance(value, float) and value != value:
            return None
        if hasattr(value, "item"):
            return value.item()
        return value

    groups: list[dict] = []
    keys = ["target", "target_id", "subject", "outcome"]
    # Each claim's own fields, as RANGE_COLUMNS lists them.
    claim_cols = list(
        RANGE_COLUMNS[RANGE_COLUMNS.index("claim_id") : RANGE_COLUMNS.index("part_of") + 1]
    )
    for key, part in ranges.groupby(keys, sort=False):
        first = part.iloc[0]
        groups.append(
            {
                **dict(zip(keys, key, strict=True)),
                "claimants": clean(first["claimants"]),
                "range": [clean(first["range_low"]), clean(first["range_high"])],
                "range_low_claims": first["range_low_claims"].split("|"),
                "range_high_claims": first["range_high_claims"].split("|"),
                "spread": clean(first["spread"]),
                "conservative": clean(first["conservative"]),
                "conservative_claimants": first["conservative_claimants"].split("|"),
                "claims": [{c: clean(row[c]) for c in claim_cols} for _, row in part.iterrows()],
            }
        )
    return groups
