"""The review page as a reader sees it: highlighted spans that jump to their draft rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from mapper.cli import main

pytestmark = pytest.mark.browser
FIXTURES = Path(__file__).parent.parent / "fixtures" / "extract"


def test_review_highlights_and_links_to_rows(tmp_path: Path, browser) -> None:
    review = tmp_path / "review.html"
    rc = main(
        [
            "extract",
            str(FIXTURES / "kech_ambush.txt"),
            "-o",
            str(tmp_path / "d"),
            "--review",
            str(review),
        ]
    )
    assert rc == 0
    blocked: list[str] = []
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    context.route(
        "**/*",
        lambda r: (
            r.continue_()
            if r.request.url.startswith("file:")
            else (blocked.append(r.request.url), r.abort())
        ),
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(review.as_uri())
    places = page.locator("mark.place").all_inner_texts()
    assert "Turbat" in places
    figure = page.locator("mark.figure", has_text="14")
    assert figure.count() == 1
    figure.locator("a").click()
    row = page.locator("tr:target")
    assert "BLF" in row.inner_text() and "14" in row.inner_text()
    # ... and the row links back to the words it came from.
    row.locator("td").first.locator("a", has_text="14").click()
    assert page.locator("mark:target").inner_text() == "14"
    struck = page.locator("mark.not-a-place").all_inner_texts()
    assert "Baloch Liberation Front" in struck
    assert errors == [] and blocked == []
    context.close()


def test_review_shows_hostile_article_text_as_text(tmp_path: Path, browser) -> None:
    article = tmp_path / "hostile.txt"
    article.write_text(
        "Quetta, May 3, 2026 (Wire) - Gunmen killed 4 soldiers in Turbat on Friday, the army "
        'said. </script><script>document.title="pwned"</script> <b>not bold</b>\n'
    )
    review = tmp_path / "review.html"
    assert main(["extract", str(article), "-o", str(tmp_path / "d"), "--review", str(review)]) == 0
    context = browser.new_context()
    context.route(
        "**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort()
    )
    page = context.new_page()
    page.goto(review.as_uri())
    text = page.locator("article").inner_text()
    assert '<script>document.title="pwned"</script>' in text and "<b>not bold</b>" in text
    assert page.title() == "Draft review"
    assert page.locator("article b").count() == 0
    assert page.locator("article mark.figure").inner_text() == "4"
    context.close()
