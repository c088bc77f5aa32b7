"""The bundled Balochistan dataset obeys the schema and holds what the two articles say.

Checked with plain pandas on purpose: these tests must keep working whatever
the dataset reader does, so a broken reader and a broken dataset fail apart.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from mapper.schema import (
    ACLED_TAXONOMY,
    BUNDLED_DATASET,
    CLAIM_COLUMNS,
    CLAIM_REQUIRED,
    CLAIMANT_SIDES,
    CLAIMS_FILE,
    DATE_PRECISIONS,
    GEONAMES_ATTRIBUTION,
    INCIDENT_COLUMNS,
    INCIDENT_REQUIRED,
    INCIDENTS_FILE,
    INDICATOR_COLUMNS,
    INDICATORS_FILE,
    LOCATION_PRECISIONS,
    METADATA_FILE,
    OPERATION_COLUMNS,
    OPERATIONS_FILE,
    OUTCOMES,
    SITE_COLUMNS,
    SITES_FILE,
    STATUSES,
    SUBJECTS,
)

REPO = Path(__file__).resolve().parents[1]
DATASET = REPO / "data" / BUNDLED_DATASET
GAZETTEER_DIR = REPO / "data" / "gazetteer"

BLOG = "News blog post"
IANS = "IANS wire report"

# Names and aliases of the curated places list the project was given (the facts
# file behind data/gazetteer), copied here so this test does not depend on the
# gazetteer overlay's format or on files outside the repository.
FACTS_PLACE_NAMES = frozenset(
    {
        "Quetta", "Shal", "Shalkot", "Gwadar", "Gawadar", "Gwadur", "Mastung", "Nushki",
        "Noshki", "Nushki town", "Dalbandin", "Dal Bandin", "Kharan", "Panjgur", "Panjgoor",
        "Pasni", "Turbat", "Kech", "Harnai", "Tump", "Buleda", "Bulaida", "Buleida", "Chagai",
        "Chaghi", "Reko Diq", "Rekodiq", "Reko Dik", "Reko Diq Mine", "Saindak", "Saindak Mine",
        "Gwadar Port", "Hoshab", "Mand", "Balochistan", "Baluchistan", "Belochistan",
    }
)  # fmt: skip

FILES = {
    INCIDENTS_FILE: INCIDENT_COLUMNS,
    CLAIMS_FILE: CLAIM_COLUMNS,
    OPERATIONS_FILE: OPERATION_COLUMNS,
    SITES_FILE: SITE_COLUMNS,
    INDICATORS_FILE: INDICATOR_COLUMNS,
}
ID_COLUMN = {
    INCIDENTS_FILE: "incident_id",
    CLAIMS_FILE: "claim_id",
    OPERATIONS_FILE: "operation",
    SITES_FILE: "site_id",
    INDICATORS_FILE: "indicator_id",
}
SOURCE_COLUMN = {
    INCIDENTS_FILE: "sources",
    CLAIMS_FILE: "source",
    OPERATIONS_FILE: "sources",
    SITES_FILE: "sources",
    INDICATORS_FILE: "source",
}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def read(name: str) -> pd.DataFrame:
    # Everything as text first: the checks below decide what each cell must be.
    return pd.read_csv(DATASET / name, dtype=str, keep_default_na=False, encoding="utf-8")


@pytest.fixture(scope="module")
def incidents() -> pd.DataFrame:
    return read(INCIDENTS_FILE)


@pytest.fixture(scope="module")
def claims() -> pd.DataFrame:
    return read(CLAIMS_FILE)


@pytest.fixture(scope="module")
def operations() -> pd.DataFrame:
    return read(OPERATIONS_FILE)


@pytest.fixture(scope="module")
def sites() -> pd.DataFrame:
    return read(SITES_FILE)


@pytest.fixture(scope="module")
def indicators() -> pd.DataFrame:
    return read(INDICATORS_FILE)


def as_int(cell: str) -> int | None:
    """Return a claim figure as an int (None when blank); fail on anything else."""
    if cell == "":
        return None
    assert re.fullmatch(r"\d+", cell), f"figure {cell!r} is not a non-negative integer"
    return int(cell)


# --- structure -----------------------------------------------------------------


@pytest.mark.parametrize("name", list(FILES))
def test_each_file_has_exactly_the_schema_columns_in_order(name):
    assert tuple(read(name).columns) == FILES[name]


@pytest.mark.parametrize("name", list(FILES))
def test_ids_are_present_and_unique(name):
    ids = read(name)[ID_COLUMN[name]]
    assert (ids != "").all(), f"{name}: blank id on lines {list(ids.index[ids == ''] + 2)}"
    dupes = sorted(set(ids[ids.duplicated()]))
    assert not dupes, f"{name}: duplicate ids {dupes}"


@pytest.mark.parametrize("name", list(FILES))
def test_every_row_cites_a_dated_source(name):
    # A citation must name the publication and carry the date it appeared.
    frame = read(name)
    for line, cite in zip(frame.index + 2, frame[SOURCE_COLUMN[name]], strict=True):
        assert cite.strip(), f"{name}:{line}: no source"
        assert BLOG in cite or IANS in cite, f"{name}:{line}: unknown publication in {cite!r}"
        assert re.search(r"\b[12] Feb 2026\b", cite), f"{name}:{line}: undated source {cite!r}"


@pytest.mark.parametrize(
    ("name", "required"),
    [(INCIDENTS_FILE, INCIDENT_REQUIRED), (CLAIMS_FILE, CLAIM_REQUIRED)],
)
def test_required_cells_are_filled(name, required):
    frame = read(name)
    for column in required:
        blank = list(frame.index[frame[column].str.strip() == ""] + 2)
        assert not blank, f"{name}: column {column!r} blank on lines {blank}"


def test_metadata_names_the_dataset_and_credits_geonames_and_both_articles():
    meta = json.loads((DATASET / METADATA_FILE).read_text(encoding="utf-8"))
    assert set(meta) == {"name", "description", "attribution"}
    assert meta["name"].strip() and meta["description"].strip()
    assert all(isinstance(line, str) for line in meta["attribution"])
    assert GEONAMES_ATTRIBUTION in meta["attribution"]
    credits = " ".join(meta["attribution"])
    assert "news blog post (1 Feb 2026)" in credits
    assert "IANS wire report (2 Feb 2026)" in credits


def test_readme_explains_each_file():
    text = (DATASET / "README.md").read_text(encoding="utf-8")
    for name in [*FILES, METADATA_FILE]:
        assert f"`{name}`" in text, f"README does not describe {name}"


# --- vocabularies and values -----------------------------------------------------


def test_incident_vocabularies_are_respected(incidents):
    for line, row in zip(incidents.index + 2, incidents.itertuples(), strict=True):
        assert row.event_type in ACLED_TAXONOMY, f"line {line}: {row.event_type!r}"
        assert row.sub_event_type in ACLED_TAXONOMY[row.event_type], f"line {line}"
        assert row.date_precision in DATE_PRECISIONS, f"line {line}: {row.date_precision!r}"
        assert row.location_precision in LOCATION_PRECISIONS, f"line {line}"
        assert row.status in STATUSES, f"line {line}: {row.status!r}"


def test_claim_vocabularies_are_respected(claims):
    assert set(claims["claimant_side"]) <= set(CLAIMANT_SIDES)
    assert set(claims["subject"]) <= set(SUBJECTS)
    assert set(claims["outcome"]) <= set(OUTCOMES)


def test_incident_dates_are_iso_ordered_and_start_their_period(incidents):
    for line, row in zip(incidents.index + 2, incidents.itertuples(), strict=True):
        assert ISO_DATE.match(row.date), f"line {line}: date {row.date!r}"
        start = pd.Timestamp(row.date)
        # Month and year precision are written as the first day of the period.
        if row.date_precision == "month":
            assert start.day == 1, f"line {line}: month precision must start on day 1"
        if row.date_precision == "year":
            assert (start.month, start.day) == (1, 1), f"line {line}: year must start 1 Jan"
        if row.date_end:
            assert ISO_DATE.match(row.date_end), f"line {line}: date_end {row.date_end!r}"
            assert pd.Timestamp(row.date_end) >= start, f"line {line}: ends before it starts"


@pytest.mark.parametrize(
    ("name", "columns"),
    [
        (CLAIMS_FILE, ("claimed_on",)),
        (OPERATIONS_FILE, ("date", "date_end")),
        (INDICATORS_FILE, ("as_of",)),
    ],
)
def test_other_dates_are_iso_when_given(name, columns):
    frame = read(name)
    for column in columns:
        for line, cell in zip(frame.index + 2, frame[column], strict=True):
            assert cell == "" or ISO_DATE.match(cell), f"{name}:{line}: {column} {cell!r}"
            if cell:
                pd.Timestamp(cell)  # a real calendar day, not 2026-02-30


def test_claim_figures_are_integers_with_low_not_above_high(claims):
    for line, row in zip(claims.index + 2, claims.itertuples(), strict=True):
        low, high = as_int(row.low), as_int(row.high)
        assert low is not None, f"line {line}: low is required"
        assert high is None or low <= high, f"line {line}: low {low} > high {high}"


def test_indicator_bounds_hold_their_value(indicators):
    for line, row in zip(indicators.index + 2, indicators.itertuples(), strict=True):
        value, low, high = (None if c == "" else float(c) for c in (row.value, row.low, row.high))
        assert {value, low, high} != {None}, f"line {line}: no figure at all"
        if low is not None and high is not None:
            assert low <= high, f"line {line}"
        if value is not None:
            assert low is None or low <= value, f"line {line}"
            assert high is None or value <= high, f"line {line}"
        assert row.area in {"Balochistan", "Pakistan"}, f"line {line}: area {row.area!r}"
        assert row.unit.strip(), f"line {line}: unit missing"


def test_quotes_stay_a_few_words(claims):
    # Only short attributed phrases may come from the articles, never sentences.
    long = [(q, len(q.split())) for q in claims["quote"] if len(q.split()) > 8]
    assert not long, f"quotes longer than 8 words: {long}"


# --- references between files ----------------------------------------------------


def test_every_claim_points_at_exactly_one_known_incident_or_operation(
    claims, incidents, operations
):
    known_incidents = set(incidents["incident_id"])
    known_operations = set(operations["operation"])
    for line, row in zip(claims.index + 2, claims.itertuples(), strict=True):
        targets = [t for t in (row.incident_id, row.operation) if t]
        assert len(targets) == 1, f"line {line}: needs one of incident_id/operation"
        if row.incident_id:
            assert row.incident_id in known_incidents, f"line {line}: {row.incident_id!r}"
        else:
            assert row.operation in known_operations, f"line {line}: {row.operation!r}"


def test_incident_operations_exist_and_each_operation_is_used(incidents, operations):
    used = set(incidents["operation"]) - {""}
    assert used <= set(operations["operation"])
    assert set(operations["operation"]) <= used


def test_every_place_is_a_name_in_the_curated_places_list(incidents, sites):
    names = {n.casefold() for n in FACTS_PLACE_NAMES}
    unknown = sorted(set(incidents["place"]) | set(sites["place"]))
    unknown = [p for p in unknown if p.casefold() not in names]
    assert not unknown, f"places not in the curated list: {unknown}"


def _overlay_names() -> set[str]:
    names: set[str] = set()
    for path in sorted(GAZETTEER_DIR.glob("*.csv")):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        if "name" not in frame.columns:
            continue
        names |= set(frame["name"])
        if "aliases" in frame.columns:
            names |= {a for cell in frame["aliases"] for a in cell.split("|") if a}
    return {n.strip().casefold() for n in names if n.strip()}


def test_every_place_is_a_name_or_alias_in_the_gazetteer_overlay(incidents, sites):
    overlay = _overlay_names()
    if not overlay:
        pytest.skip("no gazetteer overlay with name/aliases columns in data/gazetteer yet")
    places = set(incidents["place"]) | set(sites["place"])
    missing = sorted(p for p in places if p.casefold() not in overlay)
    assert not missing, f"places the gazetteer overlay does not know: {missing}"


def test_site_coordinates_lie_in_balochistan(sites):
    for line, row in zip(sites.index + 2, sites.itertuples(), strict=True):
        lat, lon = float(row.latitude), float(row.longitude)
        # The province's bounding box, generously rounded.
        assert 24.5 <= lat <= 32.5 and 60.5 <= lon <= 70.5, f"line {line}: {lat}, {lon}"


# --- what the articles say -----------------------------------------------------------

HEROF = "herof-2"
RAIDS = "sf-raids-2026-01-30"
CLEARANCE = "sf-clearance-2026-01-31"

# (target operation, claimant, side, subject, outcome, low, high, publication)
EXPECTED_CLAIMS = [
    (RAIDS, "ISPR", "state", "militants", "killed", 41, None, BLOG),
    (HEROF, "Pakistani security forces", "state", "militants", "killed", 92, 92, BLOG),
    (
        CLEARANCE,
        "Pakistani military and provincial authorities",
        "state",
        "militants",
        "killed",
        145,
        None,
        BLOG,
    ),
    (HEROF, "Pakistani officials", "state", "civilians", "killed", 31, None, BLOG),
    (HEROF, "Pakistani officials", "state", "security forces", "killed", 17, 17, BLOG),
    (HEROF, "BLA", "armed group", "security forces", "killed", 94, 94, BLOG),
    (HEROF, "BLA", "armed group", "security forces", "killed", 84, None, BLOG),
    (HEROF, "BLA", "armed group", "security forces", "killed", 80, None, BLOG),
    (HEROF, "BLA", "armed group", "security forces", "captured", 18, 18, BLOG),
    (HEROF, "BLA", "armed group", "cities", "attacked", 14, 14, IANS),
    (HEROF, "BLA", "armed group", "sites", "attacked", 48, 48, IANS),
]


@pytest.mark.parametrize(
    ("operation", "claimant", "side", "subject", "outcome", "low", "high", "publication"),
    EXPECTED_CLAIMS,
    ids=[f"{c[1]}-{c[3]}-{c[4]}-{c[5]}" for c in EXPECTED_CLAIMS],
)
def test_each_figure_in_the_articles_is_a_claim_row(
    claims, operation, claimant, side, subject, outcome, low, high, publication
):
    rows = claims[
        (claims["operation"] == operation)
        & (claims["claimant"] == claimant)
        & (claims["subject"] == subject)
        & (claims["outcome"] == outcome)
        & (claims["low"] == str(low))
    ]
    assert len(rows) == 1, f"expected one row, found {len(rows)}"
    row = rows.iloc[0]
    assert row["claimant_side"] == side
    assert as_int(row["high"]) == high
    assert publication in row["source"]
    assert str(low) in row["quote"], f"quote {row['quote']!r} does not carry the figure"


def test_no_claim_is_left_unaccounted_for(claims):
    # Every row is one of the figures above: a stray figure means a misreading.
    assert len(claims) == len(EXPECTED_CLAIMS)


def test_both_sides_figures_for_security_forces_killed_share_one_target(claims):
    rows = claims[(claims["subject"] == "security forces") & (claims["outcome"] == "killed")]
    assert set(rows["operation"]) == {HEROF}
    assert set(rows["claimant_side"]) == {"state", "armed group"}


HEROF_PLACES = {
    "Quetta", "Gwadar", "Mastung", "Noshki", "Dalbandin", "Kharan", "Panjgur", "Tump", "Pasni",
    "Turbat", "Buleda", "Chagai",
}  # fmt: skip


def test_the_31_january_incidents_are_the_places_the_articles_name(incidents):
    herof = incidents[incidents["operation"] == HEROF]
    assert sorted(herof["place"]) == sorted(HEROF_PLACES)
    assert set(herof["date"]) == {"2026-01-31"}
    assert set(herof["date_precision"]) == {"day"}
    assert set(herof["actor1"]) == {"BLA"}


def test_the_31_january_places_carry_their_vagueness(incidents):
    herof = incidents[incidents["operation"] == HEROF].set_index("place")
    # Named only in the wire report's account of the BLA's claim: one side speaks.
    assert herof.loc["Chagai", "status"] == "unverified"
    assert herof.loc["Chagai", "location_precision"] == "district"
    assert "IANS" in herof.loc["Chagai", "sources"]
    others = herof.drop(index="Chagai")
    assert set(others["status"]) == {"disputed"}
    # Town names, no street or building: never "exact".
    assert set(others["location_precision"]) == {"near"}
    assert (herof["latitude"] == "").all(), "coordinates come from the gazetteer"


def test_the_30_january_raids_are_district_level_in_harnai_and_panjgur(incidents):
    raids = incidents[incidents["operation"] == RAIDS]
    assert sorted(raids["place"]) == ["Harnai", "Panjgur"]
    assert set(raids["date"]) == {"2026-01-30"}
    assert set(raids["location_precision"]) == {"district"}
    assert set(raids["status"]) == {"unverified"}


def test_the_clearance_operations_span_the_40_hours_at_province_level(incidents, operations):
    rows = incidents[incidents["operation"] == CLEARANCE]
    assert len(rows) == 1
    row = rows.iloc[0]
    assert (row["date"], row["date_end"]) == ("2026-01-31", "2026-02-01")
    assert (row["place"], row["location_precision"]) == ("Balochistan", "province")
    op = operations.set_index("operation").loc[CLEARANCE]
    assert (op["date"], op["date_end"]) == ("2026-01-31", "2026-02-01")


def test_herof_operation_records_its_other_names(operations):
    op = operations.set_index("operation").loc[HEROF]
    assert op["name"] == "Operation Herof 2.0"
    assert "Herof Phase 2.0" in op["description"]
    assert "black storm" in op["description"]


@pytest.mark.parametrize(
    ("incident_id", "date", "precision", "event_type", "sub_event_type", "place"),
    [
        ("ctx-2025-03-mahrang-baloch-arrest", "2025-03-01", "month",
         "Strategic developments", "Arrests", "Balochistan"),
        ("ctx-2025-hayat-baloch-killing", "2025-01-01", "year",
         "Violence against civilians", "Attack", "Balochistan"),
        ("ctx-2023-haq-do-tehreek-protests-gwadar", "2023-01-01", "year",
         "Protests", "Protest with intervention", "Gwadar"),
        ("ctx-2023-gwadar-crackdown", "2023-01-01", "year",
         "Strategic developments", "Other", "Gwadar"),
        ("ctx-recent-byc-protests-crackdown", "2025-01-01", "year",
         "Protests", "Protest with intervention", "Balochistan"),
        ("ctx-recent-byc-leaders-detained", "2025-01-01", "year",
         "Strategic developments", "Arrests", "Balochistan"),
    ],
)  # fmt: skip
def test_context_events_keep_only_the_date_precision_the_articles_allow(
    incidents, incident_id, date, precision, event_type, sub_event_type, place
):
    row = incidents.set_index("incident_id").loc[incident_id]
    assert (row["date"], row["date_precision"]) == (date, precision)
    assert (row["event_type"], row["sub_event_type"]) == (event_type, sub_event_type)
    assert row["place"] == place
    assert row["status"] == "reported"
    if place == "Balochistan":
        assert row["location_precision"] == "province"


def test_context_sites_are_the_mines_and_port_with_their_precision(sites):
    by_id = sites.set_index("site_id")
    assert set(by_id.index) == {"reko-diq-mine", "saindak-mine", "gwadar-port"}
    assert by_id.loc["gwadar-port", "location_precision"] == "near"
    assert "GeoNames" in by_id.loc["gwadar-port", "sources"]
    for site in ("reko-diq-mine", "saindak-mine"):
        assert "encyclopedia entry" in by_id.loc[site, "sources"]


@pytest.mark.parametrize(
    ("indicator_id", "area", "value", "low", "high", "attributed_to"),
    [
        ("balochistan-below-poverty-line", "Balochistan", "70", "", "", None),
        ("balochistan-multidimensional-poverty", "Balochistan", "71.2", "", "", "United Nations"),
        ("pakistan-multidimensional-poverty", "Pakistan", "38.8", "", "", "United Nations"),
        ("balochistan-rural-absolute-poverty", "Balochistan", "76", "76", "", None),
        ("balochistan-literacy", "Balochistan", "", "42", "46", None),
        ("balochistan-share-of-mineral-output", "Balochistan", "80", "", "80", None),
    ],
)
def test_indicators_quote_the_articles_figures_and_attribution(
    indicators, indicator_id, area, value, low, high, attributed_to
):
    row = indicators.set_index("indicator_id").loc[indicator_id]
    assert (row["area"], row["value"], row["low"], row["high"]) == (area, value, low, high)
    assert row["unit"] == "percent"
    if attributed_to:
        assert attributed_to in row["source"]
    else:
        assert "citing" not in row["source"], "the post names no source for this figure"
