"""Figures as their claimants stated them, parts never added to their whole (issue 13 item 5)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from mapper.claims import claim_groups, claim_ranges, stated_figure
from mapper.dataset import read_dataset, validate_dataset
from mapper.importers.ucdp import import_ucdp
from mapper.render import map_payload
from mapper.render.payload import readable_title

FIX = Path(__file__).parent / "fixtures"
STATEMENTS = FIX / "maps" / "statements"


@pytest.mark.parametrize(
    ("low", "high", "quote", "text"),
    [
        (31, None, "at least 31 civilians", "at least 31"),
        (80, None, "over 80 security personnel", "over 80"),
        (84, None, "up to 84+", "up to 84+"),
        (1200, None, "more than 1,200 people", "more than 1200"),
        (17, 17, "17 security personnel", "17"),
        (84, 94, "84 or 94 troops", "84\u201394"),
        # The qualifier must qualify this figure: "over 2 days" says nothing about 31.
        (31, None, "over 2 days, 31 died", "31"),
        (31, 40, "at least 31", "31\u201340"),
        (5, None, None, "5"),
        (None, None, "at least 3", ""),
    ],
)
def test_a_stated_figure_keeps_the_claimants_qualifier(low, high, quote, text):
    assert stated_figure(low, high, quote) == text


def test_ucdp_civilians_are_recorded_as_part_of_its_best_estimate():
    claims = import_ucdp(FIX / "ucdp/ucdp_ged.csv").claims.set_index("claim_id")
    assert claims.loc["UCDP-900002-civilians", "part_of"] == "UCDP-900002-best"
    assert (claims.drop(index="UCDP-900002-civilians")["part_of"] == "").all()


def _claims(*rows: tuple) -> pd.DataFrame:
    cols = ["claim_id", "incident_id", "claimant", "subject", "outcome", "low", "high", "source"]
    df = pd.DataFrame([r[:8] for r in rows], columns=cols)
    df["part_of"] = [r[8] if len(r) > 8 else None for r in rows]
    df["low"] = df["low"].astype("Int64")
    df["high"] = df["high"].astype("Int64")
    return df


def test_a_part_in_its_wholes_group_does_not_pass_for_a_lower_claim():
    # A district's 4 within the same count's total of 10: the range is the total's.
    ranges = claim_ranges(
        _claims(
            ("t", "i1", "Table", "unspecified", "killed", 10, 10, "s"),
            ("p", "i1", "Table", "unspecified", "killed", 4, 4, "s", "t"),
            ("o", "i1", "Paper", "unspecified", "killed", 12, 12, "s2"),
        )
    ).set_index("claim_id")
    assert tuple(ranges.loc["t", ["range_low", "range_high", "conservative"]]) == (10, 12, 10)
    assert ranges.loc["p", "part_of"] == "t"
    assert ranges.loc["p", "range_low"] == 10  # listed, not counted


def test_claims_never_add_a_part_to_its_whole():
    ranges = claim_ranges(read_dataset(STATEMENTS, geometry=False).claims)
    groups = {(g["target_id"], g["subject"]): g for g in claim_groups(ranges)}
    assert groups[("S-UCDP", "unspecified")]["range"] == [57, 57]
    assert groups[("S-UCDP", "civilians")]["range"] == [54, 54]
    assert groups[("S-UCDP", "civilians")]["claims"][0]["part_of"] == "ucdp-best"
    # No number anywhere in the output is a sum (57 + 54, or across statements).
    numbers = set(pd.to_numeric(ranges[["range_low", "range_high", "conservative"]].stack()))
    assert numbers <= {17, 31, 92, 57, 54, 6, 9, 40}


def test_a_part_naming_no_claim_is_an_error_on_its_cell(tmp_path):
    for name in ("incidents.csv", "operations.csv", "dataset.json"):
        (tmp_path / name).write_bytes((STATEMENTS / name).read_bytes())
    text = (STATEMENTS / "claims.csv").read_text().replace(",ucdp-best\n", ",ucdp-bset\n")
    (tmp_path / "claims.csv").write_text(text)
    problems = validate_dataset(tmp_path)
    assert [(p.line, p.column) for p in problems] == [(6, "part_of")]
    assert "not a claim_id in claims.csv" in problems[0].message
    assert problems[0].suggestion == "ucdp-best"
    # Read anyway, the claim is rejected with that reason rather than drawn as a whole.
    report = read_dataset(tmp_path, geometry=False).report
    rejected = report[report["status"] == "rejected"]
    assert list(rejected["record_id"]) == ["ucdp-civ"]
    assert "part_of" in rejected["reason"].iloc[0]


def test_the_page_knows_each_parts_whole_and_each_stated_figure():
    payload = map_payload(read_dataset(STATEMENTS, geometry=False))
    c, strings = payload["claims"], payload["strings"]
    ids = c["id"]
    part = dict(zip(ids, c["part"], strict=True))
    assert ids[part["ucdp-civ"]] == "ucdp-best"
    assert {k for k, v in part.items() if v >= 0} == {"ucdp-civ"}
    fig = {i: strings[f] for i, f in zip(ids, c["fig"], strict=True)}
    assert fig["opx-civ-officials"] == "at least 31"
    assert fig["one-sf-group"] == "over 40"
    assert fig["opx-sf-officials"] == "17"


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("balochistan-2026", "Balochistan 2026"),
        ("acled_export.csv", "Acled export"),
        ("Balochistan: the 30 January - 1 February 2026 violence", None),
        ("ucdp_ged.csv + tiny", "Ucdp ged + Tiny"),
        ("", "Incidents"),
    ],
)
def test_titles_are_readable_names_not_file_names(name, title):
    assert readable_title(name) == (name if title is None else title)


def test_a_claim_naming_itself_as_its_whole_is_an_error(tmp_path):
    for name in ("incidents.csv", "operations.csv", "dataset.json"):
        (tmp_path / name).write_bytes((STATEMENTS / name).read_bytes())
    text = (STATEMENTS / "claims.csv").read_text().replace(",ucdp-best\n", ",ucdp-civ\n")
    (tmp_path / "claims.csv").write_text(text)
    problems = validate_dataset(tmp_path)
    assert [(p.line, p.column) for p in problems] == [(6, "part_of")]
    assert "names the claim itself" in problems[0].message


def test_mapper_claims_marks_a_part_and_prints_no_sum(capsys):
    from mapper.cli import main

    assert main(["claims", str(STATEMENTS)]) == 0
    out = capsys.readouterr().out
    assert "[ucdp-civ]" in out and "part of ucdp-best (never added to it)" in out
    assert "111" not in out and "48" not in out
