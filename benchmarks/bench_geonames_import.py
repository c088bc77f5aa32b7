"""Measure ``mapper gazetteer import-geonames`` on a synthetic dump, against a named baseline.

A dump of ``--lines`` records (default 1,000,000) is generated in GeoNames'
19-column format with roughly allCountries' mix of feature classes (a third
populated places, the rest mostly streams, hills and buildings), 2 % of the
records in Pakistan, 0-6 alternate names each, some in Arabic script. Then,
each as a whole process (Python start and imports included):

1. ``import-geonames DUMP --country PK`` (Arrow filters; 2 % reach Python);
2. ``import-geonames DUMP`` (every P, A and kept S/L record reaches Python);
3. the baseline: the per-line Python reader behind ``--gazetteer DUMP``
   (:func:`mapper.gazetteer.sources.geonames_dump.read_geonames_dump`, which reads the whole
   file and keeps every record), on the same file.

Lines per second and each child's peak memory (``ru_maxrss``) are printed.

Run: ``.venv/bin/python benchmarks/bench_geonames_import.py [--lines N] [--keep DIR]``.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# (feature class, feature code, share) roughly as in allCountries.txt.
_FEATURES = (
    ("P", "PPL", 0.33),
    ("P", "PPLA3", 0.02),
    ("A", "ADM3", 0.02),
    ("A", "ADM2", 0.01),
    ("H", "STM", 0.14),
    ("H", "LK", 0.05),
    ("T", "MT", 0.10),
    ("T", "HLL", 0.07),
    ("S", "SCH", 0.08),
    ("S", "FRM", 0.06),
    ("S", "MNC", 0.005),
    ("S", "PP", 0.005),
    ("L", "AREA", 0.03),
    ("L", "PRT", 0.002),
    ("R", "RD", 0.02),
    ("V", "FRST", 0.02),
    ("T", "VAL", 0.018),
    ("U", "SMU", 0.01),
)
# (country, share, (south, north, west, east)): boxes well inside each country.
_COUNTRIES = (
    ("PK", 0.02, (25.0, 35.0, 62.0, 74.0)),
    ("AF", 0.10, (31.0, 36.0, 62.0, 70.0)),
    ("IR", 0.20, (28.0, 36.0, 50.0, 60.0)),
    ("IN", 0.68, (15.0, 28.0, 74.0, 85.0)),
)
_SYLLABLES = ("ka", "lat", "zor", "ab", "ad", "pur", "gan", "dar", "kh", "an", "sh", "mir", "bel")


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def write_dump(path: Path, lines: int, seed: int = 7) -> None:
    """Write a synthetic dump of ``lines`` records."""
    rng = random.Random(seed)
    features = [(c, f) for c, f, _ in _FEATURES]
    fweights = [w for _, _, w in _FEATURES]
    countries = [c for c, _, _ in _COUNTRIES]
    cweights = [w for _, w, _ in _COUNTRIES]
    boxes = {c: box for c, _, box in _COUNTRIES}
    picks_f = rng.choices(features, fweights, k=lines)
    picks_c = rng.choices(countries, cweights, k=lines)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for i in range(lines):
            fclass, fcode = picks_f[i]
            cc = picks_c[i]
            s, n, w, e = boxes[cc]
            name = _name(rng)
            alt = [_name(rng) for _ in range(rng.randint(0, 4))]
            if rng.random() < 0.3:
                alt.append("قلعہ")
            if rng.random() < 0.2:
                alt.append(str(rng.randint(10000, 99999)))
            fields = [
                str(1_000_000 + i),
                name,
                name,
                ",".join(alt),
                f"{rng.uniform(s, n):.5f}",
                f"{rng.uniform(w, e):.5f}",
                fclass,
                fcode,
                cc,
                "",
                f"{rng.randint(1, 8):02d}",
                str(rng.randint(1000, 1100)),
                "",
                "",
                str(rng.choice((0, 0, 0, 120, 5000))),
                "",
                str(rng.randint(0, 3000)),
                "Asia/Karachi",
                "2024-01-01",
            ]
            fh.write("\t".join(fields) + "\n")


def run(argv: list[str]) -> tuple[float, float]:
    """Run a Python child; return (seconds, peak MB of the largest child so far)."""
    start = time.perf_counter()
    subprocess.run([sys.executable, *argv], check=False, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, peak


def main() -> None:
    """Generate the dump, run the three measurements, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--keep", metavar="DIR", help="write the dump and outputs here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.keep or tmp)
        work.mkdir(parents=True, exist_ok=True)
        dump = work / "allCountries.txt"
        start = time.perf_counter()
        write_dump(dump, args.lines)
        size = os.path.getsize(dump) / 1e6
        print(f"dump: {args.lines:,} lines, {size:.0f} MB, written in "
              f"{time.perf_counter() - start:.1f} s")  # fmt: skip
        cli = ["-m", "mapper.cli", "gazetteer", "import-geonames", str(dump), "--no-progress"]
        baseline = [
            "-c",
            "from mapper.gazetteer.sources.geonames_dump import read_geonames_dump as r; "
            f"r({str(dump)!r})",
        ]
        # Smallest first: ru_maxrss of children is the peak of all children so far.
        cases = (
            ("import-geonames --country PK", [*cli, "-o", str(work / "pk.csv"), "--country", "PK"]),
            ("import-geonames (all countries)", [*cli, "-o", str(work / "all.csv")]),
            ("baseline: read_geonames_dump", baseline),
        )
        print(f"{'measure':34} {'seconds':>8} {'lines/s':>11} {'peak MB':>8}")
        results = {}
        for label, argv in cases:
            seconds, peak = run(argv)
            results[label] = seconds
            print(f"{label:34} {seconds:8.2f} {args.lines / seconds:11,.0f} {peak:8.0f}")
        base = results["baseline: read_geonames_dump"]
        for label, _ in cases[:2]:
            print(f"{label}: {base / results[label]:.1f}x the baseline's speed")


if __name__ == "__main__":
    main()
