"""Point -> country, province, district for a million points, against a plain geopandas.sjoin.

Two sets of 1,000,000 points over Pakistan and its neighbours (60-78 E, 23-37.5 N):

- ``uniform``: every point distinct, spread evenly: the worst case for mapper's
  deduplication and cell grid;
- ``table``: 5,000 distinct points repeated, as an incident table repeats its
  places.

For each, mapper's :meth:`Areas.locate` (cold: first call on a fresh
collection, the grid's cells classified; warm: the same collection again)
against the baseline: ``geopandas.sjoin`` of the points with the districts,
then of the points outside every district with the countries (the same
answer, as checked below). Target: locate under 5 s for 1,000,000 points.

Run: ``.venv/bin/python benchmarks/bench_areas.py [--points N] [--repeat R]``.
"""

from __future__ import annotations

import argparse
import os
import time

import geopandas as gpd
import numpy as np
import pandas as pd

from mapper.areas import Areas


def baseline(districts: gpd.GeoDataFrame, countries: gpd.GeoDataFrame, lat, lon) -> pd.DataFrame:
    """Two plain sjoins: districts first, countries for the points left over."""
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
    hit = gpd.sjoin(points, districts, how="left", predicate="intersects")
    hit = hit[~hit.index.duplicated(keep="first")]
    out = pd.DataFrame(
        {"country": hit["country"], "province": hit["province"], "district": hit["name"]}
    )
    rest = out["district"].isna().to_numpy()
    joined = gpd.sjoin(points[rest], countries, how="left", predicate="intersects")
    joined = joined[~joined.index.duplicated(keep="first")]
    out.loc[rest, "country"] = joined["name"].to_numpy()
    return out


def fresh() -> Areas:
    """A collection with nothing cached (the bundled one keeps its grid between calls)."""
    b = Areas.bundled()
    return Areas(list(b), aliases=b._aliases, lineage=b._lineage)


def timed(fn, repeat: int):
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def agree(ours: pd.DataFrame, theirs: pd.DataFrame) -> int:
    # Missing compares unequal to missing in pandas: compare with "" instead.
    a = ours[["country", "province", "district"]].astype(object).fillna("").to_numpy()
    b = theirs.astype(object).fillna("").to_numpy()
    return int((a == b).all(axis=1).sum())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--points", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--smoke", action="store_true", help="2,000 points, once: checks it runs")
    args = ap.parse_args()
    if args.smoke:
        args.points, args.repeat = 2000, 1
    n = args.points
    rng = np.random.default_rng(12)
    sets = {
        "uniform": (rng.uniform(23, 37.5, n), rng.uniform(60, 78, n)),
    }
    places = (rng.uniform(23, 37.5, 5000), rng.uniform(60, 78, 5000))
    pick = rng.integers(0, 5000, n)
    sets["table"] = (places[0][pick], places[1][pick])

    start = time.perf_counter()
    Areas.bundled()
    print(f"load the bundled areas: {time.perf_counter() - start:.2f} s")
    frame = Areas.bundled().to_frame()
    districts = frame[frame["level"] == "district"]
    countries = frame[frame["level"] == "country"]
    print(f"load average: {os.getloadavg()[0]:.1f}; {n:,} points; best of {args.repeat}\n")
    print(f"{'points':<8} {'mapper cold':>12} {'mapper warm':>12} {'sjoin':>8} {'cold/sjoin':>11}"
          f" {'warm/sjoin':>11} {'same answer':>12}")  # fmt: skip
    for name, (lat, lon) in sets.items():
        cold, ours = timed(lambda lat=lat, lon=lon: fresh().locate(lat, lon), args.repeat)
        areas = fresh()
        areas.locate(lat, lon)
        warm, _ = timed(lambda lat=lat, lon=lon, a=areas: a.locate(lat, lon), args.repeat)
        base, theirs = timed(
            lambda lat=lat, lon=lon: baseline(districts, countries, lat, lon), args.repeat
        )
        same = agree(ours, theirs)
        print(
            f"{name:<8} {cold:>10.2f} s {warm:>10.2f} s {base:>6.2f} s {cold / base:>10.2f}x"
            f" {warm / base:>10.2f}x {same / n:>11.4%}"
        )


if __name__ == "__main__":
    main()
