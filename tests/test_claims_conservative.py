"""The conservative figure is the lowest *low* any party claimed (issue 16 item 4).

In these examples the lowest low, the lowest high, the highest low and the
highest high are four different numbers, so a figure taken from the wrong
column, or the wrong end, gives a different answer; the other fixtures have
claims where some of them coincide.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

import mapper
from mapper import cli
from mapper.claims import claim_groups

DRAWN = Path(__file__).parent / "fixtures" / "drawn"


def claims(*rows: tuple[str, str, int, int | None]) -> pd.DataFrame:
    """Claims about incident i1, security forces killed: (claim_id, claimant, low, high)."""
    return pd.DataFrame(
        {
            "claim_id": [r[0] for r in rows],
            "incident_id": "i1",
            "operation": None,
            "claimant": [r[1] for r in rows],
            "subject": "security forces",
            "outcome": "killed",
            "low": pd.array([r[2] for r in rows], dtype="Int64"),
            "high": pd.array([r[3] for r in rows], dtype="Int64"),
            "source": "test",
        }
    )


#: Lowest low 2 (Army's 2-10), lowest high 4 (Police's 4), highest low 6 (Rebels' 6-8),
#: highest high 10 (Army's).
SPREAD_OUT = claims(("army", "Army", 2, 10), ("police", "Police", 4, None), ("reb", "Rebels", 6, 8))


def test_the_conservative_figure_is_the_lowest_low_not_the_lowest_high():
    r = mapper.claim_ranges(SPREAD_OUT)
    assert set(r["conservative"]) == {2}
    assert set(r["conservative_claimants"]) == {"Army"}
    assert set(r["range_low"]) == {2} and set(r["range_low_claims"]) == {"army"}


def test_the_range_runs_from_the_lowest_low_to_the_highest_high():
    r = mapper.claim_ranges(SPREAD_OUT)
    assert set(r["range_high"]) == {10} and set(r["range_high_claims"]) == {"army"}
    assert set(r["spread"]) == {5.0}
    assert set(r["claimants"]) == {3}
    # Each claim keeps its own figures beside the group's.
    own = {row.claim_id: (row.low, row.high) for row in r.itertuples()}
    assert own == {"army": (2, 10), "police": (4, pd.NA), "reb": (6, 8)}


def test_an_open_ended_claim_counts_as_its_low_at_the_top_of_the_range():
    # "over 12" counts as 12 both ways: above Army's 10-high, and never more than 12.
    r = mapper.claim_ranges(claims(("army", "Army", 2, 10), ("group", "Group", 12, None)))
    assert set(r["range_high"]) == {12} and set(r["range_high_claims"]) == {"group"}
    assert set(r["conservative"]) == {2}


def test_groups_give_the_same_figures_with_their_claims():
    (group,) = claim_groups(mapper.claim_ranges(SPREAD_OUT))
    assert group["range"] == [2, 10]
    assert group["conservative"] == 2 and group["conservative_claimants"] == ["Army"]
    assert [c["claim_id"] for c in group["claims"]] == ["army", "police", "reb"]


def test_the_claims_command_prints_the_lowest_low_as_conservative(capsys):
    # The drawn-map fixture: A has Officials 2-10 and Group 4; E has Officials 5, Group 20-40.
    assert cli.main(["claims", str(DRAWN), "--format", "json"]) == 0
    groups = {g["target_id"]: g for g in json.loads(capsys.readouterr().out)}
    assert groups["A"]["conservative"] == 2 and groups["A"]["range"] == [2, 10]
    assert groups["A"]["conservative_claimants"] == ["Officials"]
    assert groups["E"]["conservative"] == 5 and groups["E"]["range"] == [5, 40]


def test_the_claims_table_names_who_claimed_the_conservative_figure(capsys):
    assert cli.main(["claims", str(DRAWN)]) == 0
    out = capsys.readouterr().out
    assert "incident A · security forces killed · 2 claimants · range 2-10" in out
    assert "conservative 2 (Officials)" in out
