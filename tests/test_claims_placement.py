"""A claim is placed only when what it is about is (issue 16 item 2).

A claim about an unplaced incident is unplaced, one about a rejected incident is
rejected, and one about an operation is placed only when one of the operation's
incidents is placed. The row account (``Dataset.report`` and ``counts()``) and
the command line's one-line account must say so.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import mapper
from mapper import cli

FIXTURE = Path(__file__).parent / "fixtures" / "datasets" / "claims_placement"


@pytest.fixture(scope="module")
def dataset() -> mapper.Dataset:
    return mapper.read_dataset(FIXTURE)


def statuses(ds: mapper.Dataset, table: str) -> dict[str, str]:
    part = ds.report[ds.report["table"] == table]
    return dict(zip(part["record_id"], part["status"], strict=True))


def reasons(ds: mapper.Dataset, table: str) -> dict[str, str]:
    part = ds.report[ds.report["table"] == table]
    return dict(zip(part["record_id"], part["reason"], strict=True))


def test_a_claim_about_an_unplaced_incident_is_unplaced_too(tmp_path):
    # The case: one incident no gazetteer knows, one claim about it.
    (tmp_path / "incidents.csv").write_text(
        "incident_id,date,place,country,event_type\nu1,2026-01-31,Qqqzzzabad,PK,Battles\n",
        encoding="utf-8",
    )
    (tmp_path / "claims.csv").write_text(
        "claim_id,incident_id,claimant,subject,outcome,low,source\n"
        "c1,u1,Officials,militants,killed,4,Test source\n",
        encoding="utf-8",
    )
    ds = mapper.read_dataset(tmp_path)
    assert ds.counts() == {"placed": 0, "unplaced": 2, "rejected": 0}
    assert statuses(ds, "claims") == {"c1": "unplaced"}
    assert reasons(ds, "claims")["c1"] == "what it is about ('u1') has no place on the map"
    # Kept, not dropped: the claim is still there to read beside the unplaced incident.
    assert list(ds.claims["claim_id"]) == ["c1"]


def test_a_claim_about_a_rejected_incident_is_rejected_and_says_which_line(tmp_path):
    (tmp_path / "incidents.csv").write_text(
        "incident_id,date,latitude,longitude,event_type\nr1,2026-02-30,30.18,67.0,Battles\n",
        encoding="utf-8",
    )
    (tmp_path / "claims.csv").write_text(
        "claim_id,incident_id,claimant,subject,outcome,low,source\n"
        "c1,r1,Officials,militants,killed,4,Test source\n",
        encoding="utf-8",
    )
    ds = mapper.read_dataset(tmp_path)
    assert ds.counts() == {"placed": 0, "unplaced": 0, "rejected": 2}
    assert statuses(ds, "claims") == {"c1": "rejected"}
    assert reasons(ds, "claims")["c1"] == (
        f"refers to incident 'r1', which was rejected (line 2 of {tmp_path / 'incidents.csv'})"
    )
    assert ds.claims.empty


def test_every_claim_follows_what_it_is_about(dataset):
    assert statuses(dataset, "incidents") == {"p1": "placed", "u1": "unplaced", "r1": "rejected"}
    assert statuses(dataset, "operations") == {"op-placed": "placed", "op-unplaced": "unplaced"}
    assert statuses(dataset, "claims") == {
        "on-placed": "placed",
        "on-unplaced": "unplaced",
        # Named with a placed operation, but about its (unplaced) incident first.
        "on-unplaced-in-placed-op": "unplaced",
        "on-rejected": "rejected",
        "op-with-placed": "placed",
        "op-without-placed": "unplaced",
    }
    why = reasons(dataset, "claims")
    assert why["on-unplaced-in-placed-op"] == "what it is about ('u1') has no place on the map"
    assert why["op-without-placed"] == ("what it is about ('op-unplaced') has no place on the map")
    assert why["on-rejected"].startswith("refers to incident 'r1', which was rejected (line 4 of")
    assert dataset.counts() == {"placed": 4, "unplaced": 5, "rejected": 2}
    assert sorted(dataset.claims["claim_id"]) == sorted(
        k for k, v in statuses(dataset, "claims").items() if v != "rejected"
    )


def test_the_command_line_gives_the_same_account(tmp_path, capsys):
    code = cli.main(["map", str(FIXTURE), "-o", str(tmp_path / "m.html")])
    out, err = capsys.readouterr()
    assert code == 1  # rows were rejected
    assert "11 rows: 4 placed, 5 kept but unplaced, 2 rejected" in err
    assert "claims.csv:5: refers to incident 'r1', which was rejected" in err
    assert "1 placed, 1 listed as unplaced" in out
