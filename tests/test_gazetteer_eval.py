"""Synthetic geocoded tables and the gazetteer evaluation (benchmarks/gazetteer_eval.py)."""

from __future__ import annotations

import dataclasses
import importlib.util
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mapper.gazetteer import Gazetteer, normalize_name
from mapper.synthetic import (
    GEOCODED_COLUMNS,
    GEOCODED_LAYOUTS,
    respell,
    synthetic_geocoded_tables,
    synthetic_place_truth,
    write_geocoded_tables,
)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "gazetteer_eval"


def _load_eval():
    spec = importlib.util.spec_from_file_location(
        "gazetteer_eval", ROOT / "benchmarks" / "gazetteer_eval.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["gazetteer_eval"] = module
    spec.loader.exec_module(module)
    return module


ge = _load_eval()


@pytest.fixture(scope="module")
def tables():
    return synthetic_geocoded_tables({"acled": 600, "ucdp": 500, "gtd": 300}, seed=11)


# --- the generator -------------------------------------------------------------------


def test_same_seed_gives_identical_tables_and_another_seed_other_ones(tables):
    again = synthetic_geocoded_tables({"acled": 600, "ucdp": 500, "gtd": 300}, seed=11)
    for layout in GEOCODED_LAYOUTS:
        pd.testing.assert_frame_equal(tables[layout], again[layout])
    other = synthetic_geocoded_tables(600, seed=12, layouts=("acled",))["acled"]
    assert not other["location"].equals(tables["acled"]["location"])


@pytest.mark.parametrize("layout", GEOCODED_LAYOUTS)
def test_each_layout_has_its_dataset_columns_and_precision_codes(tables, layout):
    table = tables[layout]
    assert tuple(table.columns) == GEOCODED_COLUMNS[layout]
    code = {"acled": "geo_precision", "ucdp": "where_prec", "gtd": "specificity"}[layout]
    allowed = {1, 2, 3} if layout == "acled" else {1, 2, 3, 4}
    assert set(table[code]) == allowed
    # Pakistan, and up to 300 km beyond it (the gross errors move a point that far).
    assert table["latitude"].between(20, 40).all() and table["longitude"].between(57, 81).all()


def test_ucdp_names_and_admin_columns_carry_their_suffixes(tables):
    ucdp = tables["ucdp"]
    assert ucdp["adm_1"].str.endswith(" province").all()
    assert ucdp["adm_2"].str.endswith(" district").all()
    assert ucdp["where_coordinates"].str.contains(r" (?:town|village|district|province)$").all()
    province_level = ucdp[ucdp["where_prec"] == 4]
    assert province_level["where_coordinates"].str.endswith(" province").all()


def test_district_level_rows_carry_one_point_per_district_not_the_place(tables):
    ucdp = tables["ucdp"]
    coarse = ucdp[ucdp["where_prec"] == 3]
    points = coarse.groupby("adm_2")[["latitude", "longitude"]].nunique()
    assert (points == 1).all().all()
    # ...while precise rows of one district are spread over its places.
    precise = ucdp[ucdp["where_prec"] == 1].groupby("adm_2")["latitude"].nunique()
    assert (precise > 1).any()


def test_villages_are_unknown_to_the_bundled_gazetteer_and_some_are_homonyms():
    truth = synthetic_place_truth(seed=11)
    villages = truth[truth["village"] & (truth["case"] == "village")]
    g = Gazetteer.default()
    sample = villages["name"].drop_duplicates().head(60)
    assert all(g.resolve(n).match_type not in ("exact", "alias") for n in sample)
    assert not set(villages["name"].map(normalize_name)) & set(
        truth.loc[~truth["village"], "name"].map(normalize_name)
    )
    twins = villages[villages.duplicated("name", keep=False)]
    assert not twins.empty
    for _, grp in twins.groupby("name"):
        km = ge.haversine_km(*grp.iloc[0][["latitude", "longitude"]], *grp.iloc[1][
            ["latitude", "longitude"]])  # fmt: skip
        assert km >= 100 and grp["district"].nunique() == 2


def test_precise_rows_stand_near_the_true_place_with_a_few_gross_errors():
    table = synthetic_geocoded_tables(1500, seed=11, layouts=("acled",), with_truth=True)["acled"]
    km = ge.haversine_km(table["latitude"], table["longitude"], table["true_latitude"],
                         table["true_longitude"])  # fmt: skip
    precise = (table["geo_precision"] == 1).to_numpy()
    assert np.median(km[precise]) < 2
    gross = np.mean(km[precise] > 40)
    assert 0.005 < gross < 0.06
    # An event near a place is coded to that place's point (ACLED geo_precision 2)...
    assert np.median(km[(table["geo_precision"] == 2).to_numpy()]) < 2
    # ...a district- or province-level one to the headquarters or centre, not the place.
    assert np.median(km[(table["geo_precision"] == 3).to_numpy()]) > 10
    assert tuple(table.columns[-4:]) == (
        "true_name",
        "true_latitude",
        "true_longitude",
        "true_case",
    )


def test_two_layouts_cover_overlapping_but_different_places(tables):
    a = set(tables["acled"]["location"].map(normalize_name))
    b = set(tables["ucdp"]["where_coordinates"].map(normalize_name))
    shared = a & b
    # About a quarter of the smaller table's names (a fifth at least, on these small tables).
    assert len(shared) > 0.2 * min(len(a), len(b))
    assert a - b and b - a


@pytest.mark.parametrize(
    ("name", "variants"),
    [
        ("Qila Abdullah", {"Killa Abdullah"}),
        ("Noshki", {"Nushki"}),
        ("Kech", {"Kej"}),
    ],
)
def test_respell_uses_known_alternations_and_always_changes_a_name(name, variants):
    rng = np.random.default_rng(0)
    out = [respell(name, rng) for _ in range(40)]
    assert all(o != name for o in out)
    assert variants & set(out)


def test_negative_row_counts_and_unknown_layouts_are_refused():
    with pytest.raises(ValueError, match=r"non-negative counts, got \{'acled': -1\}"):
        synthetic_geocoded_tables({"acled": -1}, layouts=("acled",))
    with pytest.raises(ValueError, match=r"among acled, ucdp, gtd, got \['gdelt'\]"):
        synthetic_geocoded_tables(10, layouts=("gdelt",))


# --- the metrics ---------------------------------------------------------------------


def hand_made_evaluation() -> ge.Evaluation:
    """The evaluation of the hand-made table (4 rows, answer key) by the hand-made gazetteer."""
    table = pd.read_csv(FIXTURES / "table.csv", dtype=str)
    cols = ge.Columns(name="place", lat="lat", lon="lon", precision="prec",
                      truth_lat="true_latitude", truth_lon="true_longitude")  # fmt: skip
    g = ge.build_gazetteer([FIXTURES / "places.csv"])
    return ge.evaluate(table, ge.resolve_table(table, g, cols), cols)


def test_metrics_on_a_hand_made_table_give_exact_shares():
    ev = hand_made_evaluation()
    assert (ev.rows, ev.placed, ev.names, ev.names_placed) == (4, 3, 3, 2)
    assert (ev.precise, ev.precise_placed, ev.within_near, ev.within_far) == (3, 2, 1, 1)
    assert (ev.coarse, ev.coarse_placed) == (1, 1)
    assert ev.placed_share == pytest.approx(0.75)
    assert ev.near_share_of_placed == pytest.approx(0.5)
    assert ev.near_share_of_precise == pytest.approx(1 / 3)
    assert ev.off_share_of_precise == pytest.approx(1 / 3)
    # The coarse row 100 km off is not a misplacement; Bravo Killi 30 km off is.
    assert list(ev.worst["name"]) == ["Bravo Killi"]
    assert ev.worst.loc[0, "km"] == pytest.approx(30.0, abs=0.1)
    # Against the answer key: Alpha is right, Bravo 30 km off; the unknown name's own point
    # is 55 km from its true place.
    assert (ev.truth_near, ev.truth_far, ev.table_true) == (1, 1, 2)


def test_haversine_matches_a_known_distance():
    # One degree of latitude is about 111.2 km on a sphere of radius 6371 km.
    assert ge.haversine_km(30.0, 66.0, 31.0, 66.0) == pytest.approx(111.19, abs=0.01)


# --- the script end to end -----------------------------------------------------------


@pytest.fixture(scope="module")
def small_tables(tmp_path_factory):
    out = tmp_path_factory.mktemp("geocoded")
    return write_geocoded_tables(
        out, {"acled": 400, "ucdp": 250}, seed=3, layouts=("acled", "ucdp")
    )


def _figure(text: str, label: str) -> int:
    m = re.search(rf"^{re.escape(label)}\s+([\d,]+)", text, flags=re.M)
    assert m, f"no line {label!r} in:\n{text}"
    return int(m.group(1).replace(",", ""))


def test_script_reports_the_figures_that_evaluate_computes(small_tables, capsys):
    assert ge.main([str(small_tables["ucdp"]), "--threshold", "70", "95"]) == 0
    out = capsys.readouterr().out
    table = pd.read_csv(small_tables["ucdp"], dtype=str)
    cols = ge.Columns(name="where_coordinates", lat="latitude", lon="longitude",
                      precision="where_prec", district="adm_2", country="country")  # fmt: skip
    ev = ge.evaluate(table, ge.resolve_table(table, Gazetteer.default(), cols), cols)
    assert _figure(out, "placed rows") == ev.placed
    assert _figure(out, "rows with a name") == len(table)
    rows = re.findall(r"^\| (70|95) \| (88|95) \| ([\d.]+) %", out, flags=re.M)
    placed = {t: float(share) for t, _, share in rows}
    # A lower threshold accepts every match a higher one does, and more.
    assert placed["70"] >= placed["95"]


def test_learning_from_one_table_places_more_of_the_other(small_tables, capsys):
    code = ge.main([str(small_tables["ucdp"]), "--learn-from", str(small_tables["acled"])])
    assert code == 0
    out = capsys.readouterr().out
    pattern = r"^\| (bundled gazetteer|naive median|learn_gazetteer)[^|]* \| ([\d.]+) %"
    shares = {k: float(v) for k, v in re.findall(pattern, out, flags=re.M)}
    assert shares["naive median"] > shares["bundled gazetteer"]
    assert shares["learn_gazetteer"] > shares["bundled gazetteer"]


def test_a_table_in_no_known_layout_needs_its_columns_named(capsys):
    assert ge.main([str(FIXTURES / "table.csv")]) == 2
    assert "not an ACLED, UCDP GED or GTD layout; expected --name-column" in capsys.readouterr().err
    args = [str(FIXTURES / "table.csv"), "--name-column", "place", "--lat-column", "lat",
            "--lon-column", "nope"]  # fmt: skip
    assert ge.main(args) == 2
    assert "expected a column 'nope' for the lon" in capsys.readouterr().err


def test_villages_named_like_a_place_abroad_or_a_far_district():
    truth = synthetic_place_truth(seed=11)
    abroad = truth[truth["case"] == "homonym abroad"]
    named = truth[truth["case"] == "district-name village"]
    assert len(abroad) >= 10 and len(named) >= 5
    g = Gazetteer.default()
    # Each foreign homonym is a real place GeoNames knows outside Pakistan.
    answers = [g.resolve(n) for n in abroad["name"].head(10)]
    assert all(m.resolved and m.country != "PK" for m in answers)
    # A district-name village lies 150 km or more from the district it is named after.
    seats = truth.drop_duplicates("district").set_index("district")
    for _, v in named.iterrows():
        seat = seats.loc[v["name"]]
        assert (
            ge.haversine_km(v["latitude"], v["longitude"], seat["seat_lat"], seat["seat_lon"])
            >= 150
        )


def test_old_tables_name_the_parent_district_and_some_points_contradict_their_district():
    table = synthetic_geocoded_tables(3000, seed=5, layouts=("acled",), with_truth=True)["acled"]
    old = table[table["true_case"] == "old district name"]
    assert len(old) and (pd.to_numeric(old["year"]) < 2019).all()
    parents = {"Loralai", "Killa Abdullah", "Kalat", "Sibi", "Zhob", "Pishin", "Jaffarabad",
               "Kharan", "Chagai", "Khuzdar"}  # fmt: skip
    # ACLED's admin2 is misspelt on a few rows after the renaming.
    assert old["admin2"].isin(parents).mean() > 0.9
    bad = table[table["true_case"] == "contradicting point"]
    assert len(bad)
    km = ge.haversine_km(
        pd.to_numeric(bad["latitude"]), pd.to_numeric(bad["longitude"]),
        pd.to_numeric(bad["true_latitude"]), pd.to_numeric(bad["true_longitude"]),
    )  # fmt: skip
    assert (km >= 140).all()


def test_the_learning_table_gives_both_answer_key_shares_of_all_precise_rows():
    # 3 precise rows, 2 placed; say both were within 10 km of the true place.
    ev = dataclasses.replace(hand_made_evaluation(), truth_near=2, truth_far=2)
    header, _, row = ge.describe_experiment([("key", ev, 0.5)]).splitlines()[:3]
    names, values = ([c.strip() for c in line.split("|")] for line in (header, row))
    cells = dict(zip(names, values, strict=True))
    assert cells["answer key: precise within 10 km of the true place"] == "66.7 %"
    assert cells["answer key: precise > 25 km from the true place"] == "0.0 %"
