"""mapper.extraction on short reports written for these tests (never on the seed articles)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from mapper.cli import main
from mapper.extraction import extract
from mapper.extraction.article import article_from_text, split_sentences
from mapper.extraction.dates import find_dates
from mapper.extraction.figures import find_figures

FIXTURES = Path(__file__).parent / "fixtures" / "extract"


def test_sentences_keep_abbreviations_and_quotes_together() -> None:
    text = 'Dr. Khan met Gen. Aslam on Jan. 5. "They fired first." Then he left.'
    got = [s.text for s in split_sentences(text)]
    assert got == ["Dr. Khan met Gen. Aslam on Jan. 5.", '"They fired first."', "Then he left."]


@pytest.mark.parametrize(
    ("phrase", "iso", "precision"),
    [
        ("on Friday night", "2026-03-13", "day"),
        ("earlier this week", "2026-03-09", "week"),
        ("last month", "2026-02-01", "month"),
        ("on January 31 alone", "2026-01-31", "day"),
        ("in March 2025", "2025-03-01", "month"),
        ("in 2023", "2023-01-01", "year"),
    ],
)
def test_relative_dates_resolve_against_publication(phrase: str, iso: str, precision: str) -> None:
    found = find_dates(f"Something happened {phrase}.", date(2026, 3, 14))
    assert (found[0].date.isoformat(), found[0].precision) == (iso, precision)


def test_relative_date_without_publication_date_stays_unresolved() -> None:
    assert find_dates("It happened on Friday night.", None) == []


def test_two_parties_figures_stay_two_claims_with_range_and_plus() -> None:
    s = (
        "The BLF, in contrast, claimed that 94 (or in some statements up to 84+) soldiers "
        "were killed and the capture of 18 others."
    )
    got = [(f.low, f.high, f.subject, f.outcome, f.claimant) for f in find_figures(s)]
    assert got == [
        (94, 94, "security forces", "killed", "BLF"),
        (84, None, "security forces", "killed", "BLF"),
        (18, 18, "security forces", "captured", "BLF"),
    ]


def test_number_words_qualifiers_and_according_to() -> None:
    s = (
        "Nearly twenty-five militants were arrested in raids, according to the "
        "Counter Terrorism Department (CTD)."
    )
    (f,) = find_figures(s)
    assert (f.low, f.high, f.subject, f.outcome, f.claimant, f.side) == (
        25,
        25,
        "militants",
        "arrested",
        "CTD",
        "state",
    )
    (g,) = find_figures("At least six policemen were injured, officials said.")
    assert (g.low, g.high, g.subject, g.outcome) == (6, None, "security forces", "injured")


def test_money_years_and_durations_are_not_figures() -> None:
    s = "The army said it spent $72 million in 2024 on 40-hour operations against 3 sites."
    assert find_figures(s) == []


@pytest.fixture(scope="module")
def dev_draft() -> tuple[pd.DataFrame, pd.DataFrame, list]:
    files = sorted(FIXTURES.glob("*.txt")) + sorted(FIXTURES.glob("*.html"))
    ds, spans = extract(files)
    return ds.incidents, ds.claims, spans


def test_context_hints_place_and_date(dev_draft: tuple) -> None:
    inc = dev_draft[0]
    rows = {
        (r.place, r.date.strftime("%Y-%m-%d"), r.date_precision, r.location_precision)
        for r in inc.itertuples()
    }
    assert (
        "Turbat",
        "2026-03-13",
        "day",
        "near",
    ) in rows  # Turbat city of Kech district, Friday night
    assert ("Turbat", "2026-03-09", "week", "near") in rows  # 40 km from Turbat, earlier this week
    assert ("Khuzdar", "2026-04-07", "day", "district") in rows  # the Nasl area of Khuzdar district
    assert ("Buleda", "2026-05-31", "day", "district") in rows  # Buleda tehsil of Kech
    assert set(inc["status"]) == {"draft"}


def test_people_organisations_and_scripts_are_not_places(dev_draft: tuple) -> None:
    inc, _, spans = dev_draft
    places = set(inc["place"])
    assert not places & {"Baloch", "Bugti", "Quetta"}  # Quetta only in the HTML's script
    not_places = {s.text for s in spans if s.kind == "not a place"}
    assert "Baloch Liberation Front" in not_places


def test_every_claim_cites_its_sentence(dev_draft: tuple) -> None:
    claims = dev_draft[1]
    assert claims["source"].str.contains("sentence [0-9]+: “", regex=True).all()
    row = claims[(claims["low"] == 14)].iloc[0]
    assert (row["claimant"], row["claimant_side"]) == ("BLF", "armed group")
    assert "14 soldiers were killed" in row["source"]


def test_html_text_only_and_meta_date() -> None:
    art = article_from_text(
        "<html><head><meta name='date' content='2026-04-09'><script>var a='x';</script></head>"
        "<body><p>Two &amp; three.</p></body></html>"
    )
    assert (art.text, art.published) == ("Two & three.", date(2026, 4, 9))


def test_cli_writes_a_draft_that_validates(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "draft"
    review = tmp_path / "review.html"
    assert (
        main(
            ["extract", str(FIXTURES / "kech_ambush.txt"), "-o", str(out), "--review", str(review)]
        )
        == 0
    )
    assert main(["validate", str(out)]) == 0
    html = review.read_text()
    assert 'class="place"' in html and "</script><" not in html.split("id='spans'>")[1][:-30]


def test_cli_no_place_or_figure_is_an_empty_draft(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    f = tmp_path / "plain.txt"
    f.write_text("The weather was mild and the markets were calm all week, traders said.")
    assert main(["extract", str(f), "-o", str(tmp_path / "d"), "--published", "2026-01-01"]) == 0
    assert "no place or figure found" in capsys.readouterr().err
    assert pd.read_csv(tmp_path / "d" / "incidents.csv").empty


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty, no text"), (b"\x00\x01\x02binary\x00" * 50, "binary")],
)
def test_cli_empty_or_binary_file_is_skipped_with_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture, content: bytes, message: str
) -> None:
    f = tmp_path / "a.txt"
    f.write_bytes(content)
    assert main(["extract", str(f), "-o", str(tmp_path / "d")]) == 0
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 2


def test_cli_non_english_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    f = tmp_path / "ur.txt"
    f.write_text(
        "کوئٹہ میں فائرنگ سے تین افراد ہلاک ہو گئے۔ پولیس کے مطابق حملہ آور فرار ہو گئے۔ " * 5
    )
    assert main(["extract", str(f), "-o", str(tmp_path / "d")]) == 1
    assert "not English" in capsys.readouterr().err


def test_huge_file_is_read_in_bounded_memory(tmp_path: Path) -> None:
    from mapper.extraction.article import MAX_BYTES, read_article

    f = tmp_path / "huge.txt"
    with open(f, "w") as fh:
        fh.write("Nothing happened here today, officials said. " * (MAX_BYTES // 20))
    art = read_article(f)
    assert len(art.text) <= MAX_BYTES
    assert "only the first" in art.notes[0]


def test_bad_publication_date_is_a_usage_error(tmp_path: Path) -> None:
    from mapper.errors import UsageError

    with pytest.raises(UsageError, match="expected a publication date as YYYY-MM-DD"):
        extract(["text"], published="31/01/2026")


def test_a_bare_count_after_a_figure_keeps_its_subject() -> None:
    got = find_figures("Four soldiers were killed and three were injured, an official said.")
    assert [(f.low, f.subject, f.outcome) for f in got] == [
        (4, "security forces", "killed"),
        (3, "security forces", "injured"),
    ]


def test_place_naming_an_institution_is_not_a_scene() -> None:
    from mapper import Gazetteer
    from mapper.extraction.places import Region, find_places

    g = Gazetteer.default()
    region = Region("PK", "Balochistan")
    roles = {p.text: p.role for p in find_places("The Quetta police said it was calm.", g, region)}
    assert roles == {"Quetta": "not a place"}
    roles = {p.text: p.role for p in find_places("Two men were shot in Quetta.", g, region)}
    assert roles == {"Quetta": "place"}


def test_people_named_after_places_and_groups_are_not_places() -> None:
    from mapper import Gazetteer
    from mapper.extraction.places import Region, find_places

    g = Gazetteer.default()
    s = "Chief Minister Bugti met Mahrang Baloch after the Baloch Liberation Army attack in Kalat."
    got = {p.text: p.role for p in find_places(s, g, Region("PK", "Balochistan"))}
    assert got == {
        "Chief Minister Bugti": "not a place",
        "Mahrang Baloch": "not a place",
        "Baloch Liberation Army": "not a place",
        "Kalat": "place",
    }


def test_review_page_escapes_the_article_and_the_span_data(tmp_path: Path) -> None:
    from mapper.extraction.review import review_html

    text = (
        "Quetta, May 3, 2026 (Wire) - Gunmen killed 4 soldiers in Turbat on Friday, the army "
        'said. </script><script>alert(1)</script> <img src=x onerror="alert(2)"> & more.'
    )
    ds, spans = extract([text])
    from mapper.extraction.article import article_from_text

    page = review_html([article_from_text(text)], ds, spans)
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page
    data = page.split("<script type='application/json' id='spans'>")[1].split("</script>")[0]
    assert "<" not in data  # nothing in the JSON can close the element
    import json

    assert {s["kind"] for s in json.loads(data)} >= {"place", "figure", "date", "claimant"}


def test_cli_draft_is_drawn_by_mapper_map(tmp_path: Path) -> None:
    out = tmp_path / "draft"
    assert main(["extract", str(FIXTURES / "panjgur_raid.txt"), "-o", str(out)]) == 0
    assert main(["map", str(out), "-o", str(tmp_path / "m.html"), "--tiles", "none"]) == 0
    page = (tmp_path / "m.html").read_text()
    assert "Panjgur" in page and "Buleda" in page and "military" in page


def test_cli_missing_file_or_empty_folder_is_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    assert main(["extract", str(tmp_path / "nope.txt"), "-o", str(tmp_path / "d")]) == 2
    assert main(["extract", str(tmp_path), "-o", str(tmp_path / "d")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0].endswith("nope.txt: no such file")
    assert "no article files" in err[1] and len(err) == 2


def test_user_gazetteer_places_a_village_the_default_does_not_know(tmp_path: Path) -> None:
    from mapper import Gazetteer

    gaz_csv = tmp_path / "mine.csv"
    gaz_csv.write_text(
        "name,latitude,longitude,district,province,country\nNasl,27.70,66.45,Khuzdar,Balochistan,PK\n"
    )
    text = (
        "KHUZDAR: Police arrested four students in the Nasl area of Khuzdar district on 2 May 2026."
    )
    ds, _ = extract([text], gazetteer=Gazetteer.from_files([gaz_csv]))
    row = ds.incidents.iloc[0]
    assert (row["place"], row["location_precision"], round(row["latitude"], 2)) == (
        "Nasl",
        "near",
        27.70,
    )
    ds, _ = extract([text])
    row = ds.incidents.iloc[0]
    assert (row["place"], row["location_precision"]) == ("Khuzdar", "district")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The death toll from the blast rose to 12, police said.",
         (12, 12, "unspecified", "killed", "police")),
        ("Police arrested two dozen suspects in Quetta.",
         (24, 24, "unspecified", "arrested", "unattributed (the article)")),
        ("Over 100 people were detained during the protest, the BYC said.",
         (100, None, "civilians", "arrested", "BYC")),
        ("On Monday, 7 miners were abducted, officials said.",
         (7, 7, "civilians", "abducted", "officials")),
    ],
)  # fmt: skip
def test_tolls_dozens_and_named_parties(sentence: str, expected: tuple) -> None:
    (f,) = find_figures(sentence)
    assert (f.low, f.high, f.subject, f.outcome, f.claimant) == expected
