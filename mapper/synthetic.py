"""Realistic synthetic incident datasets, for benchmarks and scale tests.

Incidents cluster around real towns of Pakistan and its neighbours, spread over
several years, with every schema column filled in the proportions seen in
conflict-event data, and zero to three claims each from different parties.
The same ``n`` and ``seed`` always give the same tables.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from mapper.files import atomic_write
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
            "district": towns["district"].to_numpy()[t],
            "province": towns["province"].to_numpy()[t],
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
