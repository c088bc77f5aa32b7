"""Seed known bugs into a copy of the project, one at a time, and see which the tests catch.

A small, repeatable mutation check of mapper's core behaviours (issue 16). Each
mutation below replaces one snippet of one file with a wrong version; the
script copies the project to a temporary directory once, applies each
mutation there alone, runs the tests named for it, restores the file and
reports the mutation *killed* (a test failed), *survived* (every test passed:
a gap in the suite) or *error* (the tests could not run, e.g. a syntax error).
The working tree is never written to.

Run::

    .venv/bin/python tests/mutation_check.py              # every mutation
    .venv/bin/python tests/mutation_check.py --only fuzzy-threshold-70
    .venv/bin/python tests/mutation_check.py --list
    .venv/bin/python tests/mutation_check.py --every --only js-draw-ignores-filter  # which tests

It takes a few minutes (the browser mutations need Chromium). It is not part of
``make test``: it runs the suite many times over.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = "mapper/render/templates/"


@dataclass(frozen=True)
class Mutation:
    """One seeded bug: in ``file``, ``original`` (found exactly once) becomes ``mutated``."""

    name: str
    file: str
    original: str
    mutated: str
    tests: tuple[str, ...]
    what: str


MUTATIONS: tuple[Mutation, ...] = (
    Mutation(
        "fuzzy-threshold-70",
        "mapper/gazetteer/lookup.py",
        "FUZZY_THRESHOLD = 80.0",
        "FUZZY_THRESHOLD = 70.0",
        ("tests/test_thresholds.py", "tests/test_gazetteer.py"),
        "issue 16 bug 3: the main fuzzy threshold lowered from 80 to 70",
    ),
    Mutation(
        "large-threshold-85",
        "mapper/gazetteer/lookup.py",
        "LARGE_TABLE_THRESHOLD = 88.0",
        "LARGE_TABLE_THRESHOLD = 85.0",
        ("tests/test_thresholds.py", "tests/test_gazetteer.py"),
        "the world table's fuzzy threshold lowered from 88 to 85",
    ),
    Mutation(
        "fuzzy-min-length-3",
        "mapper/gazetteer/places.py",
        "FUZZY_MIN_LENGTH = 4",
        "FUZZY_MIN_LENGTH = 3",
        ("tests/test_thresholds.py", "tests/test_gazetteer.py"),
        "three-letter names fuzzy-matched",
    ),
    Mutation(
        "hint-contradiction-ignored",
        "mapper/gazetteer/settle.py",
        "            if canon().get(key, key) != hint:\n                return None",
        "            if canon().get(key, key) != hint:\n                pass",
        ("tests/test_gazetteer.py",),
        "a candidate in another province or district than the hint still answers",
    ),
    Mutation(
        "category-suggestion-cutoff-50",
        "mapper/tables/cells.py",
        "scorer=fuzz.ratio, score_cutoff=60)",
        "scorer=fuzz.ratio, score_cutoff=50)",
        ("tests/test_thresholds.py", "tests/test_validation.py"),
        "a misspelt category far from every choice gets a suggestion anyway",
    ),
    Mutation(
        "column-lookalike-cutoff-0.75",
        "mapper/tables/cells.py",
        "n=1, cutoff=0.8)",
        "n=1, cutoff=0.75)",
        ("tests/test_thresholds.py", "tests/test_validation.py"),
        "an extra column is flagged as a misspelling of a known one",
    ),
    Mutation(
        "near-precision-dropped",
        "mapper/gazetteer/lookup.py",
        'precision = _coarser(precision, "near")',
        "pass",
        ("tests/test_gazetteer.py",),
        '"near Turbat" placed as exactly Turbat',
    ),
    Mutation(
        "gazetteer-csv-latitude-range",
        "mapper/gazetteer/sources/user.py",
        "    if not -bound <= number <= bound or math.isnan(number):",
        "    if not -2 * bound <= number <= 2 * bound or math.isnan(number):",
        ("tests/test_gazetteer.py", "tests/test_properties.py"),
        "a user gazetteer accepts latitudes up to 180",
    ),
    Mutation(
        "incident-coordinate-range",
        "mapper/tables/cells.py",
        "        outside = np.isfinite(num) & (num.abs() > limit)",
        "        outside = np.isfinite(num) & (num.abs() > 2 * limit)",
        ("tests/test_dataset.py", "tests/test_validation.py", "tests/test_hostile_input.py"),
        "an incident at latitude 120 is accepted",
    ),
    Mutation(
        "month-precision-end",
        "mapper/tables/dates.py",
        "        out[month] = dates[month] + pd.offsets.MonthEnd(0)",
        "        out[month] = dates[month]",
        ("tests/test_tables_dates.py", "tests/test_validation.py", "tests/test_date_periods.py"),
        "an end date written as a month ends on its first day",
    ),
    Mutation(
        "claim-on-unplaced-counted-placed",
        "mapper/dataset.py",
        '    placed_inc = incidents.loc[incidents["placement"] == "placed", "incident_id"]',
        '    placed_inc = incidents["incident_id"]',
        ("tests/test_claims_placement.py", "tests/test_dataset.py"),
        "issue 16 bug 2: a claim about an unplaced incident counted as placed",
    ),
    Mutation(
        "claim-on-rejected-kept",
        "mapper/dataset.py",
        "    if not orphan.any():\n        return",
        "    if True:\n        return",
        ("tests/test_claims_placement.py", "tests/test_dataset.py"),
        "a claim about a rejected incident is kept",
    ),
    Mutation(
        "conservative-from-high",
        "mapper/claims.py",
        '    df["range_low"] = grouped["_low"].transform("min")',
        '    df["range_low"] = grouped["_up"].transform("min")',
        ("tests/test_claims.py", "tests/test_claims_conservative.py"),
        "the conservative figure taken as the lowest high",
    ),
    Mutation(
        "range-high-from-low",
        "mapper/claims.py",
        '    df["range_high"] = grouped["_up"].transform("max")',
        '    df["range_high"] = grouped["_low"].transform("max")',
        ("tests/test_claims.py", "tests/test_claims_conservative.py"),
        "the top of the range taken as the highest low",
    ),
    Mutation(
        "js-draw-ignores-filter",
        TEMPLATES + "draw.js",
        "        if (!vis[i]) { continue; }",
        "        if (!D.placed[i]) { continue; }",
        ("tests/browser/test_drawn.py", "tests/browser/test_map_browser.py"),
        "issue 16 bug 1: the canvas draws every placed incident, whatever the window and layers",
    ),
    Mutation(
        "js-window-end-exclusive",
        TEMPLATES + "main.js",
        "      var inTime = D.d0[i] <= hi && D.d1[i] >= lo;",
        "      var inTime = D.d0[i] < hi && D.d1[i] >= lo;",
        ("tests/browser/test_drawn.py", "tests/browser/test_map_browser.py"),
        "an incident on the window's last day is left out",
    ),
    Mutation(
        "js-layers-ignored",
        TEMPLATES + "main.js",
        "      var v = inTime && on[D.type[i]];",
        "      var v = inTime;",
        ("tests/browser/test_drawn.py", "tests/browser/test_map_browser.py"),
        "turning a layer off hides nothing",
    ),
    Mutation(
        "js-conservative-from-high",
        TEMPLATES + "figures.js",
        '      var value = mode === "conservative" ? c.low[k] :',
        '      var value = mode === "conservative" ? (c.high[k] === null ? c.low[k] : c.high[k]) :',
        ("tests/browser/test_drawn.py", "tests/browser/test_map_browser.py"),
        "the map sizes conservative markers by the lowest high",
    ),
    Mutation(
        "alias-abroad-placed",
        "mapper/gazetteer/lookup.py",
        "    if not best.alias or not rivals:",
        "    if True:",
        ("tests/test_hints_constrain.py",),
        "an alternate name shared by places in several countries placed anyway (Sui: Suizhou)",
    ),
    Mutation(
        "region-takes-alias-city-abroad",
        "mapper/gazetteer/settle.py",
        "        if c.population >= REGION_CITY_POPULATION and not c.alias:",
        "        if c.population >= REGION_CITY_POPULATION:",
        ("tests/test_hints_constrain.py",),
        "a batch's inferred region accepts a city abroad by an alias",
    ),
    Mutation(
        "parent-district-row-is-a-second-place",
        "mapper/gazetteer/sources/learned.py",
        "    return bool(da and db and da != db and not _one_lineage(da, db))",
        "    return bool(da and db and da != db)",
        ("tests/test_learn.py",),
        "a stray row naming the parent district stands as a second place",
    ),
    Mutation(
        "stray-swap-not-checked",
        "mapper/placement.py",
        "        if swap:",
        "        if False:",
        ("tests/test_hints_constrain.py",),
        "a point far from its table's country is not checked for swapped coordinates",
    ),
    Mutation(
        "zero-zero-is-a-point",
        "mapper/importers/common.py",
        "    null = ok & (la == 0) & (lo == 0)",
        "    null = ok & False",
        ("tests/test_import_tables.py",),
        "0, 0 imported as a point",
    ),
    Mutation(
        "hemisphere-letter-any-column",
        "mapper/importers/common.py",
        "    if letter and letter not in axis:",
        "    if False:",
        ("tests/test_import_tables.py",),
        "a hemisphere letter read in the wrong column",
    ),
    Mutation(
        "areas-matched-fuzzily",
        "mapper/gazetteer/sources/areas.py",
        "    table.fuzzy_ok = False",
        "    table.fuzzy_ok = True",
        ("tests/test_area_names.py",),
        "area names matched fuzzily ('Lyari' to Lehri district)",
    ),
    Mutation(
        "province-hint-takes-neighbours",
        "mapper/gazetteer/settle.py",
        '        if area.level == "district":',
        "        if True:",
        ("tests/test_hints_constrain.py",),
        "a province hint accepts places in the provinces next door ('Hoshab, Sindh')",
    ),
    Mutation(
        "admin-filled-finer-than-precision",
        "mapper/areas.py",
        '            if stated_precision is not None and level != "country":',
        "            if False:",
        ("tests/test_area_names.py",),
        "a province-level point given the district it falls in",
    ),
)


def copy_project(target: Path) -> None:
    """Copy what the tests need (not the virtualenv, git data or build output)."""
    ignore = shutil.ignore_patterns(
        ".venv", ".git", "build", "__pycache__", ".pytest_cache", ".ruff_cache", "*.egg-info"
    )
    shutil.copytree(ROOT, target, ignore=ignore, dirs_exist_ok=True)


def run_tests(
    copy: Path, tests: tuple[str, ...], timeout: float, *, every: bool = False
) -> tuple[str, float, list[str]]:
    """Run ``tests`` in ``copy``; return (killed | survived | error, seconds, failed tests).

    Stops at the first failure unless ``every``, which names every failing test.
    """
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    # The copy's mapper must be the one imported, not the working tree's editable install.
    env["PYTHONPATH"] = str(copy) + os.pathsep + env.get("PYTHONPATH", "")
    cmd = [sys.executable, "-m", "pytest", "-q", "-rf", "-p", "no:cacheprovider", *tests]
    if not every:
        cmd.insert(3, "-x")
    start = time.perf_counter()
    try:
        done = subprocess.run(
            cmd, cwd=copy, env=env, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return "error (timeout)", time.perf_counter() - start, []
    seconds = time.perf_counter() - start
    failed = [
        line.removeprefix("FAILED ").split(" - ")[0]
        for line in done.stdout.splitlines()
        if line.startswith("FAILED ")
    ]
    # pytest: 0 all passed, 1 some failed; anything else means the tests did not run.
    result = {0: "survived", 1: "killed"}.get(done.returncode, f"error ({done.returncode})")
    return result, seconds, failed


def check_imports_copy(copy: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(copy))
    where = subprocess.run(
        [sys.executable, "-c", "import mapper; print(mapper.__file__)"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not Path(where).resolve().is_relative_to(copy.resolve()):
        sys.exit(f"the copy imports mapper from {where}, not from {copy}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="+", metavar="NAME", help="run only these mutations")
    parser.add_argument("--list", action="store_true", help="list the mutations and stop")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per mutation")
    parser.add_argument(
        "--no-control", action="store_true", help="skip the unmutated run of the tests first"
    )
    parser.add_argument(
        "--every", action="store_true", help="run every test (no -x) and name each that fails"
    )
    args = parser.parse_args(argv)
    chosen = [m for m in MUTATIONS if not args.only or m.name in args.only]
    if args.only and len(chosen) != len(args.only):
        unknown = set(args.only) - {m.name for m in MUTATIONS}
        parser.error(f"unknown mutation(s): {', '.join(sorted(unknown))}")
    if args.list:
        for m in chosen:
            print(f"{m.name:34} {m.file}: {m.what}")
        return 0
    rows = []
    with tempfile.TemporaryDirectory(prefix="mapper-mutants-") as tmp:
        copy = Path(tmp) / "mapper"
        copy_project(copy)
        check_imports_copy(copy)
        if not args.no_control:
            # Unmutated, every test named must pass, or a "killed" would mean nothing.
            union = tuple(sorted({t for m in chosen for t in m.tests}))
            result, seconds, _ = run_tests(copy, union, args.timeout * 2)
            print(f"{'control (no mutation)':34} {result:10} {seconds:6.1f} s", flush=True)
            if result != "survived":
                print("the tests fail without any mutation: fix that first", file=sys.stderr)
                return 2
        for m in chosen:
            path = copy / m.file
            text = path.read_text(encoding="utf-8")
            found = text.count(m.original)
            if found != 1:
                rows.append((m, f"stale: snippet found {found} times", 0.0))
                print(f"{m.name:34} stale: snippet found {found} times", flush=True)
                continue
            path.write_text(text.replace(m.original, m.mutated), encoding="utf-8")
            try:
                result, seconds, failed = run_tests(copy, m.tests, args.timeout, every=args.every)
            finally:
                path.write_text(text, encoding="utf-8")
            rows.append((m, result, seconds))
            print(f"{m.name:34} {result:10} {seconds:6.1f} s", flush=True)
            for test in failed if args.every else []:
                print(f"    fails: {test}", flush=True)
    print()
    print("| mutation | file | what it breaks | tests run | result |")
    print("| --- | --- | --- | --- | --- |")
    for m, result, seconds in rows:
        tests = ", ".join(Path(t).name for t in m.tests)
        print(f"| {m.name} | {m.file} | {m.what} | {tests} | {result} ({seconds:.0f} s) |")
    killed = sum(r == "killed" for _, r, _ in rows)
    survived = [m.name for m, r, _ in rows if r == "survived"]
    print(f"\nkilled {killed} of {len(rows)}; survived: {', '.join(survived) or 'none'}")
    return 0 if killed == len(rows) else 1


if __name__ == "__main__":
    sys.exit(main())
