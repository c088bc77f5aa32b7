"""The review page: each article with every extracted span highlighted and linked to its row.

One self-contained HTML file (no script, no network): every piece of text is
HTML-escaped, the spans are ``<mark>`` elements whose link jumps to the draft
row they produced, and the rows link back to the article. The span data is
also embedded as JSON (escaped so that no text can close the script element)
for tools that want it.
"""

from __future__ import annotations

import html
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from mapper.files import atomic_write

if TYPE_CHECKING:
    from mapper.extraction.article import Article
    from mapper.extraction.draft import Span
    from mapper.schema import Dataset

__all__ = ["review_html", "write_review"]

_CSS = """
body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:60em;padding:1em;color:#222}
article{white-space:pre-wrap;border:1px solid #ccc;padding:1em;margin:1em 0;background:#fcfcfc}
mark{padding:0 .1em;border-radius:3px}
mark.place{background:#bfe3ff}mark.date{background:#ffe8a3}mark.figure{background:#ffc2c2}
mark.claimant{background:#d8f5c6}mark.operation{background:#e6d4ff}
mark.not-a-place{background:none;border-bottom:2px dotted #999}
mark a{color:inherit;text-decoration:none}
table{border-collapse:collapse;font-size:13px;margin:1em 0}
td,th{border:1px solid #ddd;padding:2px 6px;vertical-align:top}
tr:target{outline:3px solid #e67e22}
.legend mark{margin-right:.5em}
"""
_SAFE_JSON = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def _anchor(table: str, row: str) -> str:
    return f"row-{table}-{row}"


def _span_id(sp: Span) -> str:
    return f"span-{sp.article}-{sp.start}"


def _marked(text: str, spans: list[Span]) -> str:
    out: list[str] = []
    pos = 0
    for sp in sorted(spans, key=lambda s: (s.start, -s.end)):
        if sp.start < pos:
            continue  # nested or overlapping spans: the outer one is shown
        out.append(html.escape(text[pos : sp.start]))
        inner = html.escape(text[sp.start : sp.end])
        title = html.escape(f"{sp.kind}: {sp.note}" if sp.note else sp.kind, quote=True)
        cls = sp.kind.replace(" ", "-")
        if sp.row:
            inner = f'<a href="#{html.escape(_anchor(sp.table, sp.row), quote=True)}">{inner}</a>'
        ident = html.escape(_span_id(sp), quote=True)
        out.append(f'<mark id="{ident}" class="{cls}" title="{title}">{inner}</mark>')
        pos = sp.end
    out.append(html.escape(text[pos:]))
    return "".join(out)


def _table(
    name: str, frame: object, columns: list[str], key: str, spans: Sequence[Span] = ()
) -> str:
    import pandas as pd

    df = pd.DataFrame(frame)
    back: dict[str, list[Span]] = {}
    for sp in spans:
        if sp.table == name and sp.row:
            back.setdefault(sp.row, []).append(sp)
    rows = [f"<h2>{html.escape(name)} ({len(df)})</h2><table><tr><th>in the text</th>"]
    rows.extend(f"<th>{html.escape(c)}</th>" for c in columns)
    rows.append("</tr>")
    for _, r in df.iterrows():
        ident = str(r[key])
        rows.append(f'<tr id="{html.escape(_anchor(name, ident), quote=True)}">')
        links = " ".join(
            f'<a href="#{html.escape(_span_id(sp), quote=True)}">{html.escape(sp.text[:30])}</a>'
            for sp in back.get(ident, [])
        )
        rows.append(f"<td>{links}</td>")
        for c in columns:
            v = r.get(c)
            if v is None or (not isinstance(v, str) and pd.isna(v)):
                v = ""
            elif hasattr(v, "strftime"):
                v = v.strftime("%Y-%m-%d")
            rows.append(f"<td>{html.escape(str(v))}</td>")
        rows.append("</tr>")
    rows.append("</table>")
    return "".join(rows)


def review_html(articles: list[Article], dataset: Dataset, spans: list[Span]) -> str:
    """Return the review page for a draft as one HTML string."""
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        "<title>Draft review</title><style>",
        _CSS,
        "</style></head><body><h1>Draft review</h1>",
        "<p class='legend'>Every highlight links to the draft row it produced: "
        "<mark class='place'>place</mark><mark class='date'>date</mark>"
        "<mark class='figure'>figure</mark><mark class='claimant'>claimant</mark>"
        "<mark class='operation'>operation</mark>"
        "<mark class='not-a-place'>not a place (hover: why)</mark></p>",
    ]
    for i, art in enumerate(articles):
        mine = [s for s in spans if s.article == i]
        pub = art.published.isoformat() if art.published else "unknown"
        parts.append(
            f"<h2>{html.escape(art.source)} <small>published {html.escape(pub)}</small></h2>"
            f"<article id='article-{i}'>{_marked(art.text, mine)}</article>"
        )
    parts.append(
        _table(
            "incidents",
            dataset.incidents,
            [
                "incident_id",
                "date",
                "date_precision",
                "place",
                "location_precision",
                "placement",
                "event_type",
                "operation",
                "status",
                "description",
            ],
            "incident_id",
            spans,
        )
    )
    parts.append(
        _table(
            "claims",
            dataset.claims,
            [
                "claim_id",
                "incident_id",
                "operation",
                "claimant",
                "claimant_side",
                "subject",
                "outcome",
                "low",
                "high",
                "quote",
            ],
            "claim_id",
            spans,
        )
    )
    parts.append(
        _table(
            "operations",
            dataset.operations,
            ["operation", "name", "actor", "date"],
            "operation",
            spans,
        )
    )
    data = json.dumps([s.__dict__ for s in spans], ensure_ascii=False).translate(_SAFE_JSON)
    parts.append(f"<script type='application/json' id='spans'>{data}</script></body></html>")
    return "".join(parts)


def write_review(
    path: str | os.PathLike[str], articles: list[Article], dataset: Dataset, spans: list[Span]
) -> Path:
    """Write :func:`review_html` to ``path`` atomically; return the path."""
    target = Path(path)
    with atomic_write(target) as fh:
        fh.write(review_html(articles, dataset, spans))
    return target
