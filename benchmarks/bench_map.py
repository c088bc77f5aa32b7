"""Measure ``mapper map`` against ``GeoDataFrame.explore()`` on the same data, in one run.

For each size (default 1k, 10k, 100k and 1M synthetic incidents, cached under
``build/bench/``):

1. Build: whole-process wall time, peak memory and HTML size of
   ``mapper map DIR -o OUT --tiles none`` and of a Python process that reads the
   same ``incidents.csv`` into a GeoDataFrame of points, calls ``.explore()``
   (no tiles) and saves the map. Ratios: explore/mapper time, mapper/explore size.
2. Browser (headless Chromium, every request other than file: and data: aborted):
   seconds from navigation start until the first incidents are visible, for both
   pages; for ours, the time to re-render after a time-window change, a layer
   toggle and a zoom (see benchmarks/README.md for exactly what is timed).

``explore()`` is skipped above ``--explore-max`` incidents (default 100,000: at
1,000,000 it needs minutes and gigabytes); the table says so.

Run: ``.venv/bin/python benchmarks/bench_map.py [--sizes 1000,10000,100000,1000000]``.
``--smoke`` checks that the script still works in a few seconds: 300 incidents,
one build each, the browser part only where Chromium is installed, explore()
only where its extras are, results in a temporary directory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]

# The baseline a user would otherwise write: read the table, make points, explore().
EXPLORE_SCRIPT = """
import sys
import geopandas as gpd
import pandas as pd
frame = pd.read_csv(sys.argv[1])
points = gpd.points_from_xy(frame["longitude"], frame["latitude"])
gdf = gpd.GeoDataFrame(frame, geometry=points, crs="EPSG:4326")
gdf.explore(tiles=None).save(sys.argv[2])
"""

# In the page: run one change, then wait for the frame that shows it.
# performance.now() is measured from navigation start.
_TIMED = """async () => {
    const m = window.mapperMap;
    const t0 = performance.now();
    %s
    const t1 = performance.now();
    await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
    return {sync: t1 - t0, frame: performance.now() - t0, drawn: m.drawn()};
}"""
_SET_WINDOW = """
    const day = (s) => String(Math.round(Date.parse(s + "T00:00:00Z") / 86400000));
    const from = document.querySelector(".mapper-from-input");
    const to = document.querySelector(".mapper-to-input");
    to.value = day("%s"); to.dispatchEvent(new Event("input"));
    from.value = day("%s"); from.dispatchEvent(new Event("input"));
"""
_SEARCH = """
    const box = document.querySelector(".mapper-search");
    box.value = "%s"; box.dispatchEvent(new Event("input"));
"""
# Windows the synthetic data (2019-2025) covers: a month, a year, three years, all.
# The last one leaves the whole period shown for the toggle and zoom timings.
WINDOWS = [
    ("2020-03-01", "2020-03-31"),
    ("2021-01-01", "2021-12-31"),
    ("2023-07-01", "2023-07-31"),
    ("2019-06-01", "2022-05-31"),
    ("2019-01-01", "2025-12-31"),
]


@dataclass
class Row:
    """Everything measured at one size."""

    n: int
    mapper_s: float | None = None
    mapper_mb: float | None = None
    mapper_rss_mb: float | None = None
    explore_s: float | None = None
    explore_mb: float | None = None
    explore_rss_mb: float | None = None
    explore_note: str = ""
    mapper_first_s: float | None = None
    explore_first_s: float | None = None
    window_ms: list[float] = field(default_factory=list)
    shaded_ms: list[float] = field(default_factory=list)
    toggle_ms: list[float] = field(default_factory=list)
    zoom_ms: list[float] = field(default_factory=list)
    search_ms: list[float] = field(default_factory=list)
    sort_ms: list[float] = field(default_factory=list)
    zoom_in_mode: str = ""
    browser_note: str = ""


def dataset_dir(n: int, cache: Path) -> Path:
    """Return the cached synthetic dataset of ``n`` incidents, writing it if missing."""
    out = cache / f"synthetic-{n}"
    if (out / "incidents.csv").exists() and (out / "dataset.json").exists():
        return out
    from mapper.synthetic import write_synthetic_dataset

    start = time.perf_counter()
    write_synthetic_dataset(n, out, seed=0)
    print(f"   wrote {out} in {time.perf_counter() - start:.1f} s", flush=True)
    return out


def run_process(args: list[str], *, timeout: float) -> tuple[float, float]:
    """Run ``args``; return (wall seconds, peak resident MB of that process)."""
    import threading

    with tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        # wait4 gives this child's own peak memory (ru_maxrss, KiB on Linux).
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode == -9 and elapsed >= timeout:
            raise subprocess.TimeoutExpired(args, timeout)
        if proc.returncode != 0:
            err.seek(0)
            raise RuntimeError(f"{args[:4]} exited with {proc.returncode}:\n{err.read()[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024


def _runs(results: list[tuple[float, float]]) -> str:
    return "runs: " + ", ".join(f"{r[0]:.2f}" for r in results)


def best_of(results: list[tuple[float, float]]) -> tuple[float, float]:
    """Return the fastest wall time and the largest peak memory of several runs."""
    return min(r[0] for r in results), max(r[1] for r in results)


def build(row: Row, data: Path, out: Path, args: argparse.Namespace) -> tuple[Path, Path | None]:
    """Time both builds, alternating them run by run.

    The machine's speed drifts over tens of seconds (a shared VM): runs of one
    command back to back, then of the other, would compare two different
    machines. Alternating gives each pair of runs the same conditions.
    """
    ours = out / f"mapper-{row.n}.html"
    mapper_cmd = [sys.executable, "-m", "mapper.cli", "map", str(data), "-o", str(ours)]
    mapper_cmd += ["--tiles", "none"]
    repeat = args.repeat if row.n <= 100_000 else 1  # one build is minutes' worth above
    theirs = out / f"explore-{row.n}.html"
    explore_cmd = [sys.executable, "-c", EXPLORE_SCRIPT, str(data / "incidents.csv"), str(theirs)]
    if row.n > args.explore_max:
        row.explore_note = f"skipped: above --explore-max {args.explore_max:,}"
    elif args.smoke and not all(find_spec(m) for m in ("matplotlib", "mapclassify")):
        row.explore_note = "skipped: matplotlib + mapclassify not installed"
    mine: list[tuple[float, float]] = []
    explored: list[tuple[float, float]] = []
    for _ in range(repeat):
        mine.append(run_process(mapper_cmd, timeout=args.timeout))
        if row.explore_note:
            continue
        try:
            explored.append(run_process(explore_cmd, timeout=args.timeout))
        except subprocess.TimeoutExpired:
            row.explore_note = f"did not finish within {args.timeout:.0f} s"
        except RuntimeError as err:
            row.explore_note = "failed (is matplotlib + mapclassify installed?)"
            print(f"   explore(): {err}", flush=True)
    row.mapper_s, row.mapper_rss_mb = best_of(mine)
    row.mapper_mb = ours.stat().st_size / 1e6
    print(f"   mapper map: {row.mapper_s:.2f} s, {row.mapper_mb:.1f} MB ({_runs(mine)})")
    if row.explore_note:
        print(f"   explore(): {row.explore_note}", flush=True)
        return ours, None
    row.explore_s, row.explore_rss_mb = best_of(explored)
    row.explore_mb = theirs.stat().st_size / 1e6
    print(f"   explore(): {row.explore_s:.2f} s, {row.explore_mb:.1f} MB ({_runs(explored)})")
    ratios = sorted(e[0] / m[0] for m, e in zip(mine, explored, strict=False))
    print(f"   explore / mapper, run by run: {', '.join(f'{r:.1f}x' for r in ratios)}", flush=True)
    return ours, theirs


class Browser:
    """Headless Chromium with every request other than file: and data: aborted."""

    def __init__(self) -> None:
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        self._browser = self._pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        self.blocked: list[str] = []

    def open(self, path: Path, timeout_s: float, *, local_leaflet: bool = False) -> object:
        """Open ``path``; with ``local_leaflet``, answer Leaflet's CDN URLs from local files.

        folium's pages load Leaflet from a CDN and show nothing offline; to time
        explore()'s page at all, its Leaflet 1.9.3 is served from the installed
        XStatic copy (the same version ours inlines). Nothing goes to the network.
        """
        context = self._browser.new_context(viewport={"width": 1280, "height": 800})
        leaflet = _leaflet_files() if local_leaflet else {}

        def route(r: object) -> None:
            url = r.request.url
            if url.startswith(("file://", "data:")):
                r.continue_()
            elif url.rsplit("/", 1)[-1] in leaflet and "leaflet@1.9.3" in url:
                r.fulfill(path=leaflet[url.rsplit("/", 1)[-1]])
            else:
                self.blocked.append(url)
                r.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.set_default_timeout(timeout_s * 1000)
        # "commit": return as soon as navigation starts; the polls below time the rest.
        page.goto(path.resolve().as_uri(), wait_until="commit", timeout=timeout_s * 1000)
        return page

    def close(self) -> None:
        self._browser.close()
        self._pw.stop()


def _leaflet_files() -> dict[str, Path]:
    import xstatic.pkg.leaflet as leaflet

    base = Path(leaflet.BASE_DIR)
    return {"leaflet.js": base / "leaflet.js", "leaflet.css": base / "leaflet.css"}


def first_visible(page: object, condition: str) -> float:
    """Seconds from navigation start to the first animation frame where ``condition`` holds."""
    handle = page.wait_for_function(
        f"() => ({condition}) ? performance.now() : false", polling="raf"
    )
    return handle.json_value() / 1000


def timed(page: object, action: str) -> dict:
    return page.evaluate(_TIMED % action)


def browse(row: Row, ours: Path, theirs: Path | None, browser: Browser, timeout: float) -> None:
    page = browser.open(ours, timeout)
    row.mapper_first_s = first_visible(
        page, "window.mapperMap !== undefined && window.mapperMap.drawn().count > 0"
    )
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # The incident list open (folded at first at 1280x800): every change below refreshes it too.
    page.evaluate(
        "() => { const t = document.querySelector('.mapper-list-toggle');"
        " if (t && t.getAttribute('aria-expanded') === 'false') { t.click(); } }"
    )
    for first, last in WINDOWS:
        row.window_ms.append(timed(page, _SET_WINDOW % (last, first))["frame"])
    # The same window changes with the districts shaded by people killed (areas.js): the
    # unshaded changes above are the baseline of the ratio printed below.
    page.select_option(".mapper-area-select", "districts:killed")
    for first, last in WINDOWS:
        row.shaded_ms.append(timed(page, _SET_WINDOW % (last, first))["frame"])
    page.select_option(".mapper-area-select", "none")
    for _ in range(2):  # off, then on again
        r = timed(page, 'document.querySelector("input[data-layer=protests]").click();')
        row.toggle_ms.append(r["frame"])
    # The incident list (open at 1280x800): a search typed, cleared; each column sorted.
    if page.evaluate("document.querySelector('.mapper-search') !== null"):
        for query in ("quetta", "quetta militants", ""):
            r = timed(page, _SEARCH % query)
            row.search_ms.append(r["frame"])
        for column in ("place", "figure", "type", "date"):
            r = timed(page, f'document.querySelector("th[data-sort={column}] button").click();')
            row.sort_ms.append(r["frame"])
    # Zoom in one level at a time on Quetta from the start view down to street level.
    # (Braces: setView returns the map, which must not be copied back to Python.)
    page.evaluate("() => { window.mapperMap.map.setView([30.18, 67.0], 7, {animate: false}); }")
    for _ in range(6):  # to zoom 13
        r = timed(page, "m.map.setZoom(m.map.getZoom() + 1, {animate: false});")
        row.zoom_ms.append(r["frame"])
    row.zoom_in_mode = f"{r['drawn']['mode']} ({r['drawn']['count']:,} in view at z13)"
    if errors:
        row.browser_note = "page errors: " + "; ".join(errors)[:200]
    page.context.close()
    print(
        f"   ours in Chromium: first incidents {row.mapper_first_s:.2f} s, "
        f"window change median {statistics.median(row.window_ms):.0f} ms, "
        f"with districts shaded {statistics.median(row.shaded_ms):.0f} ms "
        f"({statistics.median(row.shaded_ms) / statistics.median(row.window_ms):.2f}x)",
        flush=True,
    )
    if theirs is None:
        return
    page = browser.open(theirs, timeout, local_leaflet=True)
    try:
        row.explore_first_s = first_visible(
            page,
            "document.querySelector('.leaflet-overlay-pane path, .leaflet-marker-pane "
            ".leaflet-marker-icon, .leaflet-overlay-pane canvas') !== null",
        )
        print(f"   explore() in Chromium: first markers {row.explore_first_s:.2f} s", flush=True)
    except Exception as err:  # a timeout is a result here
        row.browser_note += f" explore page: {type(err).__name__} after {timeout:.0f} s"
    page.context.close()


def _f(value: float | None, fmt: str, missing: str = "n/a") -> str:
    return missing if value is None else format(value, fmt)


def _ms(values: list[float]) -> str:
    if not values:
        return "n/a"
    return f"{statistics.median(values):.0f} (max {max(values):.0f})"


def table(rows: list[Row], *, browser: bool) -> str:
    lines = [
        "| incidents | `mapper map` | `explore()` | explore / mapper time "
        "| mapper HTML | explore HTML | mapper / explore size | peak memory mapper / explore |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        ratio_t = r.explore_s / r.mapper_s if r.explore_s and r.mapper_s else None
        ratio_s = r.mapper_mb / r.explore_mb if r.explore_mb and r.mapper_mb else None
        skip = r.explore_note or "n/a"
        lines.append(
            f"| {r.n:,} | {_f(r.mapper_s, '.2f')} s | {_f(r.explore_s, '.2f', skip)}"
            f"{' s' if r.explore_s else ''} | {_f(ratio_t, '.1f')}{'x' if ratio_t else ''} "
            f"| {_f(r.mapper_mb, '.1f')} MB | {_f(r.explore_mb, '.1f')}"
            f"{' MB' if r.explore_mb else ''}"
            f" | {_f(ratio_s, '.2f')}{'x' if ratio_s else ''} | {_f(r.mapper_rss_mb, '.0f')} / "
            f"{_f(r.explore_rss_mb, '.0f')} MB |"
        )
    if not browser:
        return "\n".join(lines)
    lines += [
        "",
        "| incidents | first incidents visible: mapper | explore | time-window change (ms) "
        "| with districts shaded (ms) | layer toggle (ms) | zoom one level (ms) "
        "| at street level | list search (ms) | list sort (ms) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |",
    ]
    for r in rows:
        explore_first = _f(r.explore_first_s, ".2f", r.explore_note or "n/a")
        if r.explore_first_s is not None:
            explore_first += " s"
        elif r.browser_note and "explore page" in r.browser_note:
            explore_first = r.browser_note.split("explore page: ")[-1]
        lines.append(
            f"| {r.n:,} | {_f(r.mapper_first_s, '.2f')} s | {explore_first} "
            f"| {_ms(r.window_ms)} | {_ms(r.shaded_ms)} | {_ms(r.toggle_ms)} | {_ms(r.zoom_ms)} "
            f"| {r.zoom_in_mode} | {_ms(r.search_ms)} | {_ms(r.sort_ms)} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default="1000,10000,100000,1000000",
        help="comma-separated incident counts (default: 1000,10000,100000,1000000)",
    )
    parser.add_argument(
        "--explore-max",
        type=int,
        default=100_000,
        help="skip explore() above this many incidents (default: 100000)",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="best of N builds up to 100,000 (default: 1)"
    )
    parser.add_argument("--no-browser", action="store_true", help="measure the builds only")
    parser.add_argument(
        "--timeout", type=float, default=600, help="seconds allowed per build or page"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench")
    parser.add_argument(
        "--smoke", action="store_true", help="a few seconds' check that the script works"
    )
    args = parser.parse_args()
    if args.smoke:
        with tempfile.TemporaryDirectory() as tmp:
            args.sizes, args.repeat, args.out = "300", 1, Path(tmp)
            args.no_browser = args.no_browser or not CHROMIUM.exists()
            run(args)
        return
    run(args)


def run(args: argparse.Namespace) -> None:
    """Build, browse and print the table for ``args``."""
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    args.out.mkdir(parents=True, exist_ok=True)

    # An installed wheel has its bytecode compiled; a source checkout compiles it on first
    # import, and not at all under PYTHONDONTWRITEBYTECODE: compile it once, as installs do,
    # so that no timed run pays for compiling mapper's modules.
    import compileall

    compileall.compile_dir(ROOT / "mapper", quiet=1)

    load = os.getloadavg()
    print(f"load average before the run: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}", flush=True)
    # Every build first, with no browser running beside it: Chromium's idle processes
    # would otherwise take CPU from whichever build they overlap.
    rows, pages = [], []
    for n in sizes:
        print(f"== build, {n:,} incidents", flush=True)
        row = Row(n)
        rows.append(row)
        pages.append(build(row, dataset_dir(n, args.out), args.out, args))
    browser = None
    if not args.no_browser:
        if not CHROMIUM.exists():
            sys.exit(f"{CHROMIUM} is missing: install Chromium or pass --no-browser")
        browser = Browser()
        try:
            for row, (ours, theirs) in zip(rows, pages, strict=True):
                print(f"== browser, {row.n:,} incidents", flush=True)
                browse(row, ours, theirs, browser, args.timeout)
        finally:
            browser.close()
    if browser is not None and browser.blocked:
        print(f"note: {len(browser.blocked)} network requests were blocked", flush=True)

    after = os.getloadavg()
    header = (
        f"Measured {dt.datetime.now().isoformat(timespec='minutes')} on {platform.node()} "
        f"({os.cpu_count()} cores, Python {platform.python_version()}); load average "
        f"{load[0]:.2f} before, {after[0]:.2f} after. Command: `.venv/bin/python "
        f"benchmarks/bench_map.py --sizes {','.join(map(str, sizes))} "
        f"--explore-max {args.explore_max} --repeat {args.repeat}"
        f"{' --no-browser' if args.no_browser else ''}`"
    )
    text = header + "\n\n" + table(rows, browser=browser is not None) + "\n"
    print()
    print(text)
    target = args.out / "bench_map.md"
    target.write_text(text, encoding="utf-8")
    print(f"written to {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")


if __name__ == "__main__":
    main()
