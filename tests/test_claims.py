"""Claims arithmetic: every figure kept; range, spread and conservative figure traced to claims."""

from __future__ import annotations

import pandas as pd
import pytest

from mapper.claims import RANGE_COLUMNS, claim_groups, claim_ranges


def claims(*rows):
    cols = [
        "claim_id",
        "incident_id",
        "operation",
        "claimant",
        "claimant_side",
        "subject",
        "outcome",
        "low",
        "high",
        "source",
    ]
    df = pd.DataFrame(list(rows), columns=cols)
    df["low"] = df["low"].astype("Int64")
    df["high"] = df["high"].astype("Int64")
    return df


BOTH_SIDES = claims(
    ("s17", None, "op", "ISPR", "state", "security forces", "killed", 17, 17, "Army statement"),
    ("a94", None, "op", "BLA", "armed group", "security forces", "killed", 94, 94, "BLA statement"),
    ("a84", None, "op", "BLA", "armed group", "security forces", "killed", 84, None, "BLA post"),
    ("m92", None, "op", "ISPR", "state", "militants", "killed", 92, 92, "Army statement"),
    ("i1", "inc1", "op", "Paper", "media", "security forces", "killed", 3, 5, "Paper"),
)


def test_no_claim_is_merged_away():
    r = claim_ranges(BOTH_SIDES)
    assert sorted(r["claim_id"]) == sorted(BOTH_SIDES["claim_id"])
    assert tuple(r.columns) == RANGE_COLUMNS


def test_range_spread_and_conservative_across_claimants():
    r = claim_ranges(BOTH_SIDES)
    g = r[(r["target_id"] == "op") & (r["subject"] == "security forces")]
    assert g["claim_id"].tolist() == ["s17", "a84", "a94"]  # ordered by figure
    first = g.iloc[0]
    assert (first["range_low"], first["range_high"]) == (17, 94)
    assert first["spread"] == pytest.approx(94 / 17, abs=0.005)
    assert first["conservative"] == 17
    assert first["conservative_claimants"] == "ISPR"
    assert first["range_low_claims"] == "s17" and first["range_high_claims"] == "a94"
    assert first["claimants"] == 2


def test_a_claim_naming_an_incident_is_grouped_with_that_incident_not_its_operation():
    r = claim_ranges(BOTH_SIDES)
    row = r[r["claim_id"] == "i1"].iloc[0]
    assert (row["target"], row["target_id"]) == ("incident", "inc1")
    assert (row["range_low"], row["range_high"]) == (3, 5)


def test_an_open_ended_claim_counts_as_its_low_figure():
    r = claim_ranges(claims(("o", None, "op", "A", "state", "militants", "killed", 80, None, "s")))
    assert (r["range_low"].iloc[0], r["range_high"].iloc[0]) == (80, 80)


def test_a_zero_lowest_figure_gives_no_spread():
    r = claim_ranges(
        claims(
            ("z", None, "op", "A", "state", "civilians", "killed", 0, 0, "s"),
            ("n", None, "op", "B", "media", "civilians", "killed", 6, 6, "s"),
        )
    )
    assert r["spread"].isna().all()
    assert r["conservative"].iloc[0] == 0


def test_ties_list_every_claim_and_claimant_behind_a_number():
    r = claim_ranges(
        claims(
            ("x", None, "op", "A", "state", "militants", "killed", 10, 20, "s"),
            ("y", None, "op", "B", "media", "militants", "killed", 10, 20, "s"),
        )
    )
    assert r["range_low_claims"].iloc[0] == "x|y"
    assert r["conservative_claimants"].iloc[0] == "A|B"


def test_the_result_does_not_depend_on_the_input_order():
    a = claim_ranges(BOTH_SIDES)
    b = claim_ranges(BOTH_SIDES.iloc[::-1])
    pd.testing.assert_frame_equal(a, b)


def test_groups_nest_claims_with_their_sources():
    groups = claim_groups(claim_ranges(BOTH_SIDES))
    sf = next(g for g in groups if g["target_id"] == "op" and g["subject"] == "security forces")
    assert sf["range"] == [17, 94] and sf["conservative"] == 17
    assert [c["source"] for c in sf["claims"]] == ["Army statement", "BLA post", "BLA statement"]
    assert sf["claims"][1]["high"] is None


def test_bundled_dataset_holds_both_sides_figures():
    from mapper.dataset import read_dataset

    r = claim_ranges(read_dataset().claims)
    state = set(r.loc[r["claimant_side"] == "state", "low"])
    armed = set(r.loc[r["claimant_side"] == "armed group", "low"]) | set(
        r.loc[r["claimant_side"] == "armed group", "high"].dropna()
    )
    assert {41, 92, 145, 31, 17} <= state
    assert {84, 94, 18} <= armed
