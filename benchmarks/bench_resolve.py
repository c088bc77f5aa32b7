"""Measure the gazetteer against named baselines in one run and print the ratios.

1. ``mapper resolve Quetta`` (and ``Lahore``, which needs the world table) as whole
   processes, cold (empty cache directory: the index is built) and warm.
2. 1,000 distinct misspelled names against the whole default gazetteer.
3. ``resolve_many`` on 1,000,000 rows, without hints and with a district hint
   column, against ``Series.map(dict)`` on the same column, once the gazetteer
   is loaded.

Run: ``.venv/bin/python benchmarks/bench_resolve.py [--rows N] [--skip-cold]``.
``--smoke`` checks in a few seconds that the script still works: warm processes
only, once each, 100 misspelled names and 20,000 rows.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd

from mapper.gazetteer import Gazetteer, normalize_name


def process_time(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mapper.cli", *args],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def bench_process(skip_cold: bool, repeat: int = 3) -> None:
    print("== mapper resolve as a whole process (target: < 2 s)")
    with tempfile.TemporaryDirectory() as cold_dir:
        # Skipping the cold run, use the index already built: an empty cache directory
        # would make the first "warm" run build it.
        env = dict(os.environ) if skip_cold else dict(os.environ, MAPPER_CACHE_DIR=cold_dir)
        for name in ("Quetta", "Lahore"):
            if not skip_cold and name == "Lahore":
                cold = process_time(["resolve", name], env)
                print(f"   resolve {name:<7} cold (builds the index): {cold:6.2f} s")
            warm = min(process_time(["resolve", name], env) for _ in range(repeat))
            print(f"   resolve {name:<7} warm (best of {repeat}):         {warm:6.2f} s")


def misspell(name: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(name))  # keep the first letter: the usual case
    op = rng.choice("dsit")
    letters = "abcdefghijklmnopqrstuvwxyz"
    if op == "d":
        return name[:i] + name[i + 1 :]
    if op == "s":
        return name[:i] + rng.choice(letters) + name[i + 1 :]
    if op == "i":
        return name[:i] + rng.choice(letters) + name[i:]
    j = min(i + 1, len(name) - 1)
    chars = list(name)
    chars[i], chars[j] = chars[j], chars[i]
    return "".join(chars)


def bench_fuzzy(g: Gazetteer, count: int = 1000) -> None:
    print(f"== {count:,} distinct misspelled names (target: < {5 * count / 1000:g} s)")
    table = g._table(1)  # the world table
    rng = random.Random(7)
    pool = [n for n in table.names if n.isascii() and 6 <= len(n) <= 14 and " " not in n]
    originals = rng.sample(pool, 3000)
    queries: dict[str, str] = {}
    for name in originals:
        typo = misspell(name, rng)
        if normalize_name(typo) != normalize_name(name) and not table.lookup(normalize_name(typo)):
            queries.setdefault(typo, name)
        if len(queries) == count:
            break
    g._cache.clear()
    start = time.perf_counter()
    results = {q: g.resolve(q) for q in queries}
    elapsed = time.perf_counter() - start
    fuzzy = sum(m.match_type == "fuzzy" for m in results.values())
    back = sum(
        m.resolved and normalize_name(m.matched_name) == normalize_name(queries[q])
        for q, m in results.items()
    )
    print(
        f"   {len(queries)} names in {elapsed:.2f} s ({elapsed / len(queries) * 1000:.1f} ms each)"
    )
    print(f"   resolved by fuzzy match: {fuzzy}; back to the misspelled name: {back}")


def bench_batch(g: Gazetteer, rows: int) -> None:
    print(f"== resolve_many on {rows:,} rows vs Series.map(dict) (target: ratio <= 3)")
    rng = np.random.default_rng(3)
    vocabulary = [
        "Quetta", "Turbat", "Noshki", "Kech district", "near Turbat", "Gwader", "Mastng",
        "Panjgoor", "Dalbandin", "Hub", "Khuzdar", "Lahore", "Karachi", "Hyderabad", "Xyzzyville",
        "Bulaida",
    ]  # fmt: skip
    vocabulary += [f"Unknown place {i}" for i in range(200)]
    column = pd.Series(rng.choice(vocabulary, size=rows)).astype("str")
    column[rng.random(rows) < 0.01] = None
    # District hints as a table gives them: a few districts, one per row.
    districts = ["Kech", "Quetta", "Gwadar", "Lasbela", "Atlantis"]
    district = pd.Series(rng.choice(districts, size=rows)).astype("str")
    g.resolve_many(column.head(1000))  # load the tables; resolve the vocabulary once
    baseline_map = {name: g.resolve(name).matched_name for name in vocabulary}
    g.resolve_many(column.head(5000), district=district.head(5000))  # the hinted answers too
    timings_map, timings_ours, timings_hinted = [], [], []
    for _ in range(3):
        start = time.perf_counter()
        column.map(baseline_map)
        timings_map.append(time.perf_counter() - start)
        start = time.perf_counter()
        out = g.resolve_many(column, progress=False)
        timings_ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        hinted = g.resolve_many(column, district=district, progress=False)
        timings_hinted.append(time.perf_counter() - start)
    assert len(out) == rows and len(hinted) == rows
    base, ours, with_hints = min(timings_map), min(timings_ours), min(timings_hinted)
    print(f"   Series.map(dict), 1 column:             {base:6.3f} s (best of 3)")
    print(f"   resolve_many, 15 columns:               {ours:6.3f} s (best of 3)")
    print(f"   resolve_many with district hints:       {with_hints:6.3f} s (best of 3)")
    print(f"   ratio: {ours / base:.2f}x; with district hints {with_hints / base:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--skip-cold", action="store_true", help="do not time the index build")
    parser.add_argument(
        "--smoke", action="store_true", help="a few seconds' check that the script works"
    )
    args = parser.parse_args()
    if args.smoke:
        args.rows, args.skip_cold = 20_000, True
    bench_process(args.skip_cold, repeat=1 if args.smoke else 3)
    g = Gazetteer.default()
    start = time.perf_counter()
    g._table(1)
    print(f"== world table loaded in-process in {time.perf_counter() - start:.2f} s")
    bench_fuzzy(g, 100 if args.smoke else 1000)
    bench_batch(g, args.rows)


if __name__ == "__main__":
    main()
