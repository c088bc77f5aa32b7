"""Time ``mapper extract`` on a folder of synthetic articles (default 1,000); target <= 60 s.

Usage: ``python benchmarks/extract_speed.py [N]``. Articles are made from a few
templates with the curated gazetteer's towns, figures and weekdays varied. The
named baseline, in the same run, is reading the folder alone
(:func:`mapper.extraction.read_articles`); the ratio says what extraction adds.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from mapper import Gazetteer
from mapper.extraction import extract, read_articles

TOWNS = [
    "Turbat",
    "Gwadar",
    "Pasni",
    "Panjgur",
    "Khuzdar",
    "Kharan",
    "Mastung",
    "Noshki",
    "Dalbandin",
    "Hub",
    "Sibi",
    "Zhob",
    "Loralai",
    "Jiwani",
    "Ormara",
    "Kalat",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
TEMPLATES = [
    "{a}, May {d}, 2026 (Wire) - Gunmen attacked a checkpost near {b} on {day} night, "
    "officials said. At least {n} soldiers were killed and {m} others were wounded, "
    "the ISPR said.\n\n"
    "The BLA claimed that {k} troops were killed. Chief Minister Bugti condemned the attack.",
    "{a}, May {d}, 2026 (Agency) - Police arrested {n} suspects in {b} district on {day}, "
    "police said. Residents of {c} staged a protest earlier this week against the arrests.",
    "{a}, May {d}, 2026 - A roadside bomb injured {n} passengers on a bus 30 km from {b} on "
    "{day}, according to Levies officials. Hospital sources said {m} people died later.",
]


def make_folder(n: int, root: Path) -> None:
    """Write ``n`` synthetic articles under ``root``."""
    rng = random.Random(7)
    for i in range(n):
        a, b, c = rng.sample(TOWNS, 3)
        text = rng.choice(TEMPLATES).format(
            a=a,
            b=b,
            c=c,
            d=rng.randint(10, 28),
            day=rng.choice(DAYS),
            n=rng.randint(2, 30),
            m=rng.randint(1, 9),
            k=rng.randint(20, 90),
        )
        (root / f"a{i:05d}.txt").write_text(text)


def main() -> int:
    """Run the benchmark and print the times and their ratio."""
    smoke = "--smoke" in sys.argv[1:]  # 20 articles: checks it runs
    args = [a for a in sys.argv[1:] if a != "--smoke"]
    n = 20 if smoke else int(args[0]) if args else 1000
    gaz = Gazetteer.default()
    gaz.resolve("Quetta")  # load the tables outside the timings
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_folder(n, root)
        t0 = time.perf_counter()
        read_articles([root])
        t_read = time.perf_counter() - t0
        t0 = time.perf_counter()
        arts, _ = read_articles([root])
        ds, _spans = extract(arts, gazetteer=gaz)
        t_all = time.perf_counter() - t0
    print(
        f"{n} articles: reading only (baseline) {t_read:.2f} s; read + extract {t_all:.2f} s "
        f"(x{t_all / max(t_read, 1e-9):.1f} the baseline); {len(ds.incidents)} incidents, "
        f"{len(ds.claims)} claims; target <= 60 s: {'met' if t_all <= 60 else 'NOT met'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
