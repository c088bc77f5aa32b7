"""Names on the edge of every fuzzy threshold (issue 16 item 3).

Each threshold gets probes scoring just below it (threshold-5 up to threshold-1),
which must stay unplaced, and probes at or just above it, which must place. A
probe's score is checked with rapidfuzz here too, so a fixture that drifts away
from the edge fails loudly instead of passing for the wrong reason; and each
below-the-line probe is shown to place once the threshold is lowered under its
score, so the probe is within the matcher's reach and only the threshold keeps
it out.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from rapidfuzz import fuzz

import mapper
from mapper.gazetteer import Gazetteer, PlaceRow, PlaceTable, normalize_name, read_gazetteer_csv

FIXTURES = Path(__file__).parent / "fixtures"
PLACES = FIXTURES / "gazetteer" / "threshold_places.csv"
MAIN = 80.0  # the main fuzzy threshold (curated and user tables)
LARGE = 88.0  # the threshold in tables of more than 20,000 places


def score(query: str, name: str) -> float:
    return fuzz.ratio(normalize_name(query), normalize_name(name))


def small(threshold: float | None = None) -> Gazetteer:
    """A gazetteer of the two fixture places, with the default threshold unless one is given."""
    table = PlaceTable.build(read_gazetteer_csv(PLACES), label="edge", attribution="test")
    return Gazetteer([table]) if threshold is None else Gazetteer([table], threshold=threshold)


# --- the main threshold, in the default gazetteer (curated overlay) --------------

#: Near misses of curated places scoring 75 to 79 (query, place, its closest spelling
#: within the matcher's reach, score): none is that place. "Gwadarpur", the issue's
#: example, is not among them: it scores 80.0 against the curated "Gwadar Port" and
#: places there, at the threshold.
DEFAULT_BELOW = [
    ("Mastangar", "Mastung", "Mastung", 75.0),
    ("Gwadarwal", "Gwadar", "Gawadar", 75.0),
    ("Dera Murad Khan", "Dera Murad Jamali", "Dera Murad Jamali", 75.0),
    ("Qila Saif Baghi", "Qila Saifullah", "Qila Saifullah", 75.9),
    ("Quetaab", "Quetta", "Quetta", 76.9),
    ("Qila Saifpur", "Qila Saifullah", "Qila Saifullah", 76.9),
    ("Lasbelapur", "Lasbela", "Las Bela", 77.8),
]
#: Scoring exactly the threshold, or a little above it: these place.
DEFAULT_AT_OR_ABOVE = [
    ("Kahlu", "Kohlu", "Kohlu", 80.0),
    ("Mastanga", "Mastung", "Mastung", 80.0),
    ("Dalbandinpur", "Dalbandin", "Dal Bandin", 81.8),
    ("Derabugtikot", "Dera Bugti", "Dera Bugti", 81.8),
]


@pytest.fixture(scope="module")
def default() -> Gazetteer:
    return mapper.Gazetteer.default()


@pytest.mark.parametrize(("query", "near", "spelling", "expected"), DEFAULT_BELOW)
def test_a_name_just_below_the_main_threshold_stays_unplaced_with_the_near_place_suggested(
    default, query, near, spelling, expected
):
    assert score(query, spelling) == pytest.approx(expected, abs=0.05)
    assert MAIN - 5 <= expected < MAIN
    m = default.resolve(query, country="PK")
    assert not m.resolved, f"{query!r} was placed at {m.matched_name} ({m.score})"
    assert m.latitude is None and m.match_type is None
    assert any(s.startswith(near) for s in m.suggestions), m.suggestions


@pytest.mark.parametrize(("query", "near", "spelling", "expected"), DEFAULT_AT_OR_ABOVE)
def test_a_name_at_or_just_above_the_main_threshold_places(
    default, query, near, spelling, expected
):
    assert score(query, spelling) == pytest.approx(expected, abs=0.05)
    m = default.resolve(query, country="PK")
    exact = default.resolve(near, country="PK")
    assert (m.matched_name, m.match_type) == (near, "fuzzy")
    assert m.score == pytest.approx(expected, abs=0.05)
    assert (m.latitude, m.longitude) == (exact.latitude, exact.longitude)


def test_the_issue_names_stay_unplaced_in_a_dataset_read(tmp_path):
    # Through the reader, as a user meets them: kept, unplaced, with a reason.
    (tmp_path / "incidents.csv").write_text(
        "incident_id,date,place,province,country,event_type\n"
        "m1,2026-01-31,Mastangar,Balochistan,PK,Battles\n"
        "m2,2026-01-31,Gwadarwal,Balochistan,PK,Battles\n"
        "m3,2026-01-31,Mastanga,Balochistan,PK,Battles\n",
        encoding="utf-8",
    )
    ds = mapper.read_dataset(tmp_path)
    assert ds.counts() == {"placed": 1, "unplaced": 2, "rejected": 0}
    status = dict(zip(ds.report["record_id"], ds.report["status"], strict=True))
    assert status == {"m1": "unplaced", "m2": "unplaced", "m3": "placed"}
    reasons = dict(zip(ds.report["record_id"], ds.report["reason"], strict=True))
    assert "Mastung" in reasons["m1"] and "Gwadar" in reasons["m2"]


# --- the main threshold, in a user's table ------------------------------------------

TOWN = "Shaheed Sikandarabad"
SMALL_BELOW = [
    ("Shahid Sikandar Khan", 75.0),
    ("Shaheed Iskandarpur", 76.92),
    ("Shaheed Sikandar Goth", 78.05),
    ("Shahid Sikandar An", 78.95),
]
SMALL_AT_OR_ABOVE = [
    ("Shaheed Sikandar Pur", 80.0),
    ("Shahid Sikandar Bagh", 80.0),
    ("Shaheed Sikandarpur", 82.05),
]


@pytest.mark.parametrize(("query", "expected"), SMALL_BELOW)
def test_in_a_user_table_a_name_just_below_the_threshold_stays_unplaced(query, expected):
    assert score(query, TOWN) == pytest.approx(expected, abs=0.01)
    assert MAIN - 5 <= expected < MAIN
    assert not small().resolve(query).resolved
    # Within the matcher's reach: only the threshold keeps it out.
    assert small(threshold=expected - 1).resolve(query).matched_name == TOWN


@pytest.mark.parametrize(("query", "expected"), SMALL_AT_OR_ABOVE)
def test_in_a_user_table_a_name_at_or_above_the_threshold_places(query, expected):
    assert score(query, TOWN) == pytest.approx(expected, abs=0.01)
    m = small().resolve(query)
    assert (m.matched_name, m.match_type) == (TOWN, "fuzzy")
    assert m.score == pytest.approx(expected, abs=0.05)


def test_a_user_table_with_a_threshold_given_uses_it_both_ways():
    # The threshold is a parameter: raised over a score, that name no longer places.
    assert small(threshold=80.5).resolve("Shaheed Sikandar Pur").resolved is False
    assert small(threshold=80.0).resolve("Shaheed Sikandar Pur").resolved is True


# --- names too short to fuzzy-match ---------------------------------------------------


def test_a_three_letter_name_is_never_fuzzy_matched_even_when_it_scores_high():
    assert score("Tum", "Tump") == pytest.approx(85.7, abs=0.05)
    assert not small().resolve("Tum").resolved
    # Four letters is long enough: "Tumpp" is one letter off.
    assert score("Tumb", "Tump") == pytest.approx(75.0)
    assert not small().resolve("Tumb").resolved
    assert small().resolve("Tumpa").matched_name == "Tump"


# --- the large-table threshold ------------------------------------------------------------


@pytest.fixture(scope="module")
def large() -> Gazetteer:
    # 20,001 places: filler names that no probe comes near, and the town.
    filler = [
        PlaceRow(name=f"Zq{n:05d}xv", latitude=10.0 + n / 10_000, longitude=20.0)
        for n in range(20_000)
    ]
    town = PlaceRow(name=TOWN, latitude=28.07, longitude=66.55, country="PK")
    table = PlaceTable.build([*filler, town], label="large", attribution="test")
    assert len(table) > 20_000
    return Gazetteer([table])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Shaheed Sikandarganj", 85.0),
        ("Shaheed Sikandarwal", 87.18),
        ("Shahid Iskandarabad", 87.18),
    ],
)
def test_in_a_large_table_a_name_just_below_its_threshold_stays_unplaced(large, query, expected):
    assert score(query, TOWN) == pytest.approx(expected, abs=0.01)
    assert LARGE - 5 <= expected < LARGE
    assert not large.resolve(query).resolved
    # The same name places in a small table, where the main threshold applies.
    assert small().resolve(query).matched_name == TOWN


@pytest.mark.parametrize(("query", "expected"), [("Shahid Sikandrabad", 89.47)])
def test_in_a_large_table_a_name_above_its_threshold_places(large, query, expected):
    assert score(query, TOWN) == pytest.approx(expected, abs=0.01)
    m = large.resolve(query)
    assert (m.matched_name, m.match_type) == (TOWN, "fuzzy")


# --- the suggestion threshold of category columns (60) -------------------------------------


@pytest.mark.parametrize(
    ("value", "suggested"),
    [
        ("Protocols", None),  # 58.8 from Protests
        ("Strategically", None),  # 57.1 from Strategic developments
        ("Rants", "Riots"),  # 60.0
        ("Postures", "Protests"),  # 62.5
    ],
)
def test_a_misspelt_category_is_suggested_only_from_a_score_of_60(tmp_path, value, suggested):
    (tmp_path / "incidents.csv").write_text(
        f"incident_id,date,latitude,longitude,event_type\ns1,2026-01-31,30.18,67.0,{value}\n",
        encoding="utf-8",
    )
    problems = mapper.validate_dataset(tmp_path)
    assert [(p.line, p.column, p.value) for p in problems] == [(2, "event_type", value)]
    assert problems[0].suggestion == suggested


# --- the look-alike column threshold (difflib ratio 0.8) ----------------------------------


@pytest.mark.parametrize(
    ("column", "near", "ratio", "flagged"),
    [
        ("distr", "district", 0.769, False),
        ("precision", "date_precision", 0.783, False),
        ("stat", "status", 0.800, True),
        ("actors", "actor2", 0.833, True),  # as close to actor1; the later one wins
        ("descript", "description", 0.842, True),
    ],
)
def test_an_unknown_column_is_flagged_as_misspelt_only_from_a_ratio_of_0_8(
    tmp_path, column, near, ratio, flagged
):
    assert difflib.SequenceMatcher(None, column, near).ratio() == pytest.approx(ratio, abs=5e-4)
    (tmp_path / "incidents.csv").write_text(
        f"incident_id,date,latitude,longitude,event_type,{column}\n"
        "s1,2026-01-31,30.18,67.0,Battles,x\n",
        encoding="utf-8",
    )
    problems = mapper.validate_dataset(tmp_path)
    expected = [(1, column, near)] if flagged else []
    assert [(p.line, p.column, p.suggestion) for p in problems] == expected
