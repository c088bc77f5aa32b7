"""From news reports to a draft dataset: places, dates and every party's figures, each cited.

:func:`extract` reads articles (text or HTML) and returns a draft
:class:`~mapper.schema.Dataset` (status ``draft`` on every incident; every
claim cites its article and sentence) and the :class:`Span` list linking each
extracted piece of text to its row. :func:`write_draft` writes the draft as a
dataset directory that ``mapper validate`` accepts and ``mapper map`` draws;
:func:`write_review` writes the review page. The rules are plain and
inspectable: a gazetteer matcher for places (:mod:`mapper.extraction.places`),
date expressions against the publication date (:mod:`mapper.extraction.dates`),
figures and claimants (:mod:`mapper.extraction.figures`), grouping
(:mod:`mapper.extraction.draft`).

Examples
--------
>>> ds, spans = extract(["Quetta, Jan 5 (Wire) - Two soldiers were killed in Turbat "
...                      "on Saturday, the army said."])  # doctest: +SKIP
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mapper.errors import InputError, UsageError
from mapper.extraction.article import (
    Article,
    NotEnglishError,
    article_from_text,
    looks_english,
    read_article,
)
from mapper.extraction.draft import Span, build_draft

if TYPE_CHECKING:
    from mapper.gazetteer import Gazetteer
    from mapper.schema import Dataset

__all__ = [
    "Article",
    "NotEnglishError",
    "Span",
    "extract",
    "read_articles",
    "write_draft",
]

#: Files a folder is searched for.
ARTICLE_SUFFIXES = (".txt", ".text", ".html", ".htm")


def _as_date(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as err:
        raise UsageError(f"expected a publication date as YYYY-MM-DD, got {value!r}") from err


def read_articles(
    paths: Iterable[str | os.PathLike[str]],
    *,
    published: date | str | None = None,
    source: str | None = None,
) -> tuple[list[Article], list[str]]:
    """Read article files and folders of them; return the articles and one-line notes.

    Empty and binary files are skipped with a note; a file not in English
    raises :class:`NotEnglishError` after the others are read (so one bad
    file does not hide the rest).
    """
    pub = _as_date(published)
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.suffix.lower() in ARTICLE_SUFFIXES)
            if not found:
                raise InputError(
                    f"no article files ({', '.join(ARTICLE_SUFFIXES)}) in this folder", path=p
                )
            files.extend(found)
        else:
            files.append(p)
    articles: list[Article] = []
    notes: list[str] = []
    foreign: list[str] = []

    for f in files:
        try:
            art = read_article(f, published=pub, source=source)
        except InputError as err:
            if "binary" in str(err):
                notes.append(f"{err}; skipped")
                continue
            raise
        notes.extend(art.notes)
        if not art.text.strip():
            notes.append(f"{f}: empty, no text to read; skipped")
            continue
        if not looks_english(art.text):
            foreign.append(str(f))
            continue
        if art.published is None:
            notes.append(
                f"{f}: no publication date found (give --published); relative dates stay unresolved"
            )
        articles.append(art)
    if foreign:
        raise NotEnglishError(
            f"{', '.join(foreign)}: not English; mapper extract reads English reports only"
            + (f" ({len(articles)} other article(s) were read)" if articles else "")
        )
    return articles, notes


def extract(
    texts: Iterable[str | os.PathLike[str] | Article],
    *,
    published: date | str | None = None,
    source: str | None = None,
    gazetteer: Gazetteer | None = None,
) -> tuple[Dataset, list[Span]]:
    """Extract a draft dataset from news reports.

    Parameters
    ----------
    texts : iterable of str, path or Article
        Article texts (a ``str`` is the text itself, plain or HTML), files
        (``pathlib.Path``) or :class:`Article` objects.
    published : date or 'YYYY-MM-DD', optional
        Publication date, overriding what the articles say about themselves;
        relative dates ("on Friday night") are resolved against it.
    source : str, optional
        How the rows cite the article (default: the HTML title or file name).
    gazetteer : Gazetteer, optional
        Where place names are looked up (default :meth:`Gazetteer.default`).

    Returns
    -------
    (Dataset, list of Span)
        The draft, read back through the same checks as any dataset (so
        ``dataset.report`` says which incidents are placed), and the spans of
        text each row came from. ``dataset.attribution`` lists the articles.
    """
    from mapper.gazetteer import Gazetteer

    gaz = gazetteer or Gazetteer.default()
    pub = _as_date(published)
    articles: list[Article] = []
    for i, t in enumerate(texts):
        if isinstance(t, Article):
            articles.append(t)
        elif isinstance(t, os.PathLike):
            articles.append(read_article(t, published=pub, source=source))
        elif isinstance(t, str):
            articles.append(
                article_from_text(t, published=pub, source=source or f"article {i + 1}")
            )
        else:
            raise UsageError(f"expected article text, a path or an Article, got {type(t).__name__}")
    draft = build_draft(articles, gaz)
    with tempfile.TemporaryDirectory(prefix="mapper-extract-") as tmp:
        _write_frames(draft, articles, tmp)
        dataset = _read(tmp, gaz)
    dataset.report = dataset.report.assign(file="")
    return dataset, draft.spans


def _read(path: str, gaz: Any) -> Dataset:
    from mapper import read_dataset

    return read_dataset(path, gazetteer=gaz)


def _metadata(articles: list[Article]) -> dict[str, Any]:
    cites = [a.source + (f" ({a.published:%d %b %Y})" if a.published else "") for a in articles]
    return {
        "name": "Draft extracted from "
        + (cites[0] if len(cites) == 1 else f"{len(cites)} articles"),
        "description": "DRAFT made by mapper extract: every row cites the sentence it came "
        "from and must be checked by a person before use.",
        "attribution": [f"Draft from: {c}" for c in cites],
    }


def _write_frames(draft: Any, articles: list[Article], out: str | Path) -> None:
    import json

    from mapper.files import atomic_write
    from mapper.schema import CLAIMS_FILE, INCIDENTS_FILE, METADATA_FILE, OPERATIONS_FILE

    incidents, claims, operations = draft.frames()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with (
        atomic_write(out / INCIDENTS_FILE, newline="") as inc,
        atomic_write(out / CLAIMS_FILE, newline="") as cl,
        atomic_write(out / OPERATIONS_FILE, newline="") as op,
        atomic_write(out / METADATA_FILE) as fh,
    ):
        incidents.to_csv(inc, index=False, lineterminator="\n")
        claims.to_csv(cl, index=False, lineterminator="\n")
        operations.to_csv(op, index=False, lineterminator="\n")
        json.dump(_metadata(articles), fh, indent=2, ensure_ascii=False)
        fh.write("\n")


def write_draft(dataset: Dataset, out_dir: str | os.PathLike[str]) -> Path:
    """Write a draft (or any) dataset as a directory ``mapper validate`` and ``mapper map`` read.

    Coordinates the gazetteer found are not written: the draft names places,
    and the reader places them, so a corrected name is placed afresh.
    """
    import json

    import pandas as pd

    from mapper.files import atomic_write
    from mapper.schema import (
        CLAIM_COLUMNS,
        CLAIMS_FILE,
        INCIDENT_COLUMNS,
        INCIDENTS_FILE,
        METADATA_FILE,
        OPERATION_COLUMNS,
        OPERATIONS_FILE,
    )

    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} exists and is not a directory; expected a directory to write into")
    out.mkdir(parents=True, exist_ok=True)

    def text(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
        frame = frame.reindex(columns=list(columns))
        cols = {}
        for c in columns:
            s = frame[c]
            if pd.api.types.is_datetime64_any_dtype(s):
                cols[c] = s.dt.strftime("%Y-%m-%d").fillna("")
            else:
                cols[c] = s.astype("string").fillna("")
        return pd.DataFrame(cols)

    inc = pd.DataFrame(dataset.incidents).copy()
    if "location_source" in inc.columns:
        given = inc["location_source"].astype("string").fillna("") == "coordinates given"
        inc.loc[~given, ["latitude", "longitude"]] = None
    meta = {"name": dataset.name, "attribution": list(dataset.attribution)}
    with (
        atomic_write(out / INCIDENTS_FILE, newline="") as fi,
        atomic_write(out / CLAIMS_FILE, newline="") as fc,
        atomic_write(out / OPERATIONS_FILE, newline="") as fo,
        atomic_write(out / METADATA_FILE) as fm,
    ):
        text(inc, INCIDENT_COLUMNS).to_csv(fi, index=False, lineterminator="\n")
        text(dataset.claims, CLAIM_COLUMNS).to_csv(fc, index=False, lineterminator="\n")
        text(dataset.operations, OPERATION_COLUMNS).to_csv(fo, index=False, lineterminator="\n")
        json.dump(meta, fm, indent=2, ensure_ascii=False)
        fm.write("\n")
    return out
