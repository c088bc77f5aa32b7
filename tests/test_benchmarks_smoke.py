"""Every benchmark script still runs: its ``--smoke`` mode prints its tables (issue 16).

The benchmarks are run by hand; without this, one could stop working unnoticed.
Each runs as its own process, as a person would run it, with small sizes.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = ROOT / "benchmarks"
CHROMIUM = Path("/usr/bin/chromium")

NUMBER = r"[\d,]+(?:\.\d+)?"
#: Lines each script's smoke run must print (regular expressions, matched per line).
EXPECTED: dict[str, list[str]] = {
    "bench_map.py": [
        r"^\| incidents \| `mapper map` \| `explore\(\)` \| explore / mapper time ",
        rf"^\| 300 \| {NUMBER} s \| .+ \| {NUMBER} MB \| .+ \| {NUMBER} / .+ MB \|$",
    ],
    "bench_resolve.py": [
        rf"^   resolve Quetta  warm \(best of 1\): +{NUMBER} s$",
        rf"^   resolve Lahore  warm \(best of 1\): +{NUMBER} s$",
        rf"^   100 names in {NUMBER} s \({NUMBER} ms each\)$",
        r"^   resolved by fuzzy match: \d+; back to the misspelled name: \d+$",
        rf"^   ratio: {NUMBER}x; with district hints {NUMBER}x$",
    ],
    "bench_geonames_import.py": [
        r"^dump: 2,000 lines, ",
        r"^measure +seconds +lines/s +peak MB$",
        rf"^import-geonames --country PK +{NUMBER} +{NUMBER} +{NUMBER}$",
        rf"^import-geonames \(all countries\) +{NUMBER} +{NUMBER} +{NUMBER}$",
        rf"^baseline: read_geonames_dump +{NUMBER} +{NUMBER} +{NUMBER}$",
        rf"^import-geonames --country PK: {NUMBER}x the baseline's speed$",
    ],
    "gazetteer_eval.py": [
        r"^rows with a name +200$",
        rf"^placed rows +\d+ +{NUMBER} %$",
        rf"^\| 75 \| 88 \| {NUMBER} % \|",
        rf"^\| 85 \| 88 \| {NUMBER} % \|",
        rf"^\| learn_gazetteer \(\d+ places; learning took {NUMBER} s\) \| {NUMBER} % \|",
    ],
    "bench_areas.py": [
        r"^load average: .+; 2,000 points; best of 1$",
        rf"^uniform +{NUMBER} s +{NUMBER} s +{NUMBER} s +{NUMBER}x +{NUMBER}x +{NUMBER}%$",
        rf"^table +{NUMBER} s +{NUMBER} s +{NUMBER} s +{NUMBER}x +{NUMBER}x +{NUMBER}%$",
    ],
    "bench_import.py": [
        r"^== 2,000-row CSV ",
        rf"^   mapper import table: +{NUMBER} s +{NUMBER} MB peak",
        rf"^   ratio \(ours/baseline\): time +{NUMBER}x, memory +{NUMBER}x, CPU +{NUMBER}x$",
        r"^== 200-row \.xlsx$",
    ],
    "extract_eval.py": [
        r"^articles: 4  draft incidents: \d+  draft claims: \d+$",
        r"^places   found and placed right: \d+/8 = \d+% \(target 90%\)$",
        r"^claims   right figure\+outcome\+subject\+claimant: \d+/13 = \d+% \(target 80%\)$",
        r"^dates    coded incidents dated right \(date\+precision\): \d+/9 = \d+% ",
    ],
    "extract_speed.py": [
        rf"^20 articles: reading only \(baseline\) {NUMBER} s; read \+ extract {NUMBER} s ",
    ],
}
if CHROMIUM.exists():
    # The browser half of bench_map runs where Chromium is installed.
    EXPECTED["bench_map.py"].append(
        rf"^\| 300 \| {NUMBER} s \| .+ \| points \(\d+ in view at z13\) \|"
    )


def test_every_benchmark_script_has_a_smoke_check():
    scripts = {p.name for p in BENCHMARKS.glob("*.py") if not p.name.startswith("_")}
    assert scripts == set(EXPECTED)


@pytest.mark.slow
@pytest.mark.parametrize("script", sorted(EXPECTED))
def test_a_benchmark_smoke_run_prints_its_table(script):
    out = subprocess.run(
        [sys.executable, str(BENCHMARKS / script), "--smoke"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    lines = out.stdout.splitlines()
    for pattern in EXPECTED[script]:
        assert any(re.search(pattern, line) for line in lines), (pattern, out.stdout[-3000:])
