"""Measure ``mapper import table`` on large files against plain pandas, in one run, with ratios.

1. A 1,000,000-row CSV of the strikes shape (US dates, coordinates, a province
   column with aliases, killed min/max, two ``Source`` columns, a kept column):
   ``mapper import table FILE -o DIR`` as a whole process under
   ``/usr/bin/time -v`` (wall time, peak memory), against ``pandas.read_csv``
   of the same file in its own process (the baseline: reading alone, no
   checks, no output). Targets: <= 15 s, <= 2 GB.
2. A 100,000-row ``.xlsx`` of the same shape (written with xlsxwriter, dates as
   date cells): the import as a whole process against
   ``pandas.read_excel(engine="calamine")``. Target: <= 20 s.

3. With ``--stages``: the CSV import's steps timed in one process (read, detect
   columns, build incidents and claims, write), beside ``pandas.read_csv`` in the
   same process, so that Python's start and imports are out of the comparison.

Run: ``.venv/bin/python benchmarks/bench_import.py [--rows N] [--xlsx-rows N] [--stages]``.
"""

from __future__ import annotations

import argparse
import itertools
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

# Towns with their point and their province as tables spell it (aliases included): a real
# log's rows state the province their point lies in, bar a few errors.
CITIES = [
    ("Quetta", 30.184, 67.001, "Balochistan"),
    ("Turbat", 26.002, 63.044, "Baluchistan"),
    ("Gwadar", 25.126, 62.322, "Balochistan"),
    ("Khuzdar", 27.812, 66.611, "Baluchistan"),
    ("Peshawar", 34.008, 71.578, "KPK"),
    ("Bannu", 32.986, 70.604, "KPK"),
    ("Karachi", 24.861, 67.010, "Sindh"),
    ("Sibi", 29.543, 67.877, "Balochistan"),
    ("Islamabad", 33.721, 73.043, "Capital"),
    ("Lahore", 31.558, 74.351, "Punjab"),
]


def table(rows: int, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    days = pd.Timestamp("2004-01-01") + pd.to_timedelta(rng.integers(0, 7300, rows), unit="D")
    low = rng.integers(0, 40, rows)
    town = rng.integers(0, len(CITIES), rows)
    jitter = rng.uniform(-0.01, 0.01, (2, rows))
    return pd.DataFrame(
        {
            "strike_id": np.char.add("S", np.arange(rows).astype(str)),
            "date": days.strftime("%-m/%-d/%Y"),
            "village": np.array([c[0] for c in CITIES])[town],
            "province": np.array([c[3] for c in CITIES])[town],
            # Within about a km of the town: a village's point, in its province.
            "geo_lat": np.round(np.array([c[1] for c in CITIES])[town] + jitter[0], 5),
            "geo_lon": np.round(np.array([c[2] for c in CITIES])[town] + jitter[1], 5),
            "Killed Min": low,
            "Killed Max": low + rng.integers(0, 5, rows),
            "Source": rng.choice(["http://example.org/a", "http://example.org/b"], rows),
            "Source ": rng.choice(["Synthetic wire", ""], rows),
            "weapon": rng.choice(["drone", "rocket", "unknown"], rows),
        }
    ).rename(columns={"Source ": "Source"})


def timed(code_or_args: list[str]) -> tuple[float, float, float]:
    """Run a command under /usr/bin/time -v; return (wall seconds, peak MB, CPU seconds).

    CPU time (user + system) moves less than wall time when other jobs share the machine.
    """
    proc = subprocess.run(
        ["/usr/bin/time", "-v", *code_or_args], capture_output=True, text=True, check=True
    )
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", proc.stderr)
    assert wall is not None, proc.stderr
    hours = float(wall[1] or 0)
    seconds = hours * 3600 + float(wall[2]) * 60 + float(wall[3])
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    assert peak is not None
    cpu = sum(
        float(m) for m in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", proc.stderr)
    )
    return seconds, int(peak[1]) / 1024, cpu


def compare(label: str, ours: list[str], baseline: list[str], target_s: float) -> None:
    t_ours, m_ours, c_ours = timed(ours)
    t_base, m_base, c_base = timed(baseline)
    print(f"== {label}")
    print(
        f"   mapper import table:  {t_ours:6.2f} s  {m_ours:7.0f} MB peak  CPU {c_ours:6.2f} s"
        f"  (target <= {target_s} s)"
    )
    print(f"   pandas baseline:      {t_base:6.2f} s  {m_base:7.0f} MB peak  CPU {c_base:6.2f} s")
    print(
        f"   ratio (ours/baseline): time {t_ours / t_base:4.1f}x, memory {m_ours / m_base:4.1f}x,"
        f" CPU {c_ours / c_base:4.1f}x"
    )


def stages(csv_path: Path, out: Path) -> None:
    import time

    from mapper.importers.columns import detect_columns
    from mapper.importers.common import write_dataset
    from mapper.importers.reading import read_source
    from mapper.importers.table import build_import

    marks = [("start", time.perf_counter())]
    table_ = read_source(csv_path)
    marks.append(("read", time.perf_counter()))
    cmap = detect_columns(table_)
    marks.append(("detect", time.perf_counter()))
    result = build_import(
        table_,
        cmap,
        date_format=None,
        claimant="bench",
        claimant_side="dataset",
        event_type=None,
    )
    marks.append(("build", time.perf_counter()))
    write_dataset(result, out)
    marks.append(("write", time.perf_counter()))
    start = time.perf_counter()
    pd.read_csv(csv_path, dtype=str)
    baseline = time.perf_counter() - start
    total = marks[-1][1] - marks[0][1]
    steps = ", ".join(f"{b[0]} {b[1] - a[1]:.2f} s" for a, b in itertools.pairwise(marks))
    print("== the CSV import's steps in one process")
    print(f"   {steps}; total {total:.2f} s")
    print(
        f"   pandas.read_csv(dtype=str) in the same process: {baseline:.2f} s "
        f"(ratio {total / baseline:.1f}x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--xlsx-rows", type=int, default=100_000)
    parser.add_argument("--stages", action="store_true", help="also time each step in-process")
    parser.add_argument("--smoke", action="store_true", help="tiny tables: checks it runs")
    args = parser.parse_args()
    if args.smoke:
        args.rows, args.xlsx_rows = 2000, 200
    mapper = [sys.executable, "-m", "mapper.cli", "import", "table"]
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "strikes.csv"
        table(args.rows).to_csv(csv_path, index=False)
        size = csv_path.stat().st_size / 1e6
        compare(
            f"{args.rows:,}-row CSV ({size:.0f} MB)",
            [*mapper, str(csv_path), "-o", str(Path(tmp) / "out-csv")],
            [sys.executable, "-c", f"import pandas; pandas.read_csv({str(csv_path)!r}, dtype=str)"],
            15,
        )
        if args.stages:
            stages(csv_path, Path(tmp) / "out-stages")
        if args.xlsx_rows:
            xlsx_path = Path(tmp) / "strikes.xlsx"
            frame = table(args.xlsx_rows)
            frame["date"] = pd.to_datetime(frame["date"], format="%m/%d/%Y")
            # (xlsxwriter's constant_memory mode wants rows in order; pandas writes columns.)
            frame.to_excel(
                xlsx_path,
                index=False,
                sheet_name="Strikes",
                engine="xlsxwriter",
                engine_kwargs={"options": {"strings_to_urls": False}},
            )
            compare(
                f"{args.xlsx_rows:,}-row .xlsx",
                [*mapper, str(xlsx_path), "-o", str(Path(tmp) / "out-xlsx")],
                [
                    sys.executable,
                    "-c",
                    f"import pandas; pandas.read_excel({str(xlsx_path)!r}, engine='calamine')",
                ],
                20,
            )


if __name__ == "__main__":
    main()
