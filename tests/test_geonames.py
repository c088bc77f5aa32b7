from __future__ import annotations

import csv
import json
import re
import zipfile
from pathlib import Path

import pytest

from mapper.cli import main
from mapper.errors import InputError
from mapper.gazetteer import PlaceRow, read_gazetteer_csv
from mapper.gazetteer.sources import geonames_dump

FIXTURES = Path(__file__).parent / "fixtures" / "gazetteer"
DUMP = FIXTURES / "geonames_dump.txt"


@pytest.fixture
def rows():
    return {r.geonameid: r for r in geonames_dump.read_geonames_dump(DUMP)}


def test_dump_reader_reads_every_row_with_coordinates_and_names(rows):
    assert len(rows) == 9
    alpha = rows[900001]
    assert (alpha.name, alpha.latitude, alpha.longitude) == ("Qaṣbah Alpha", 27.5, 65.25)
    assert alpha.exact_variants == ("Qasbah Alpha",)
    assert alpha.aliases == ("Kasba Alfa", "Alpha Town")
    assert (alpha.country, alpha.admin1, alpha.province) == ("PK", "02", "Balochistan")
    assert alpha.population == 42000
    assert alpha.source == "geonames_dump.txt"


@pytest.mark.parametrize(
    ("gid", "kind", "precision"),
    [
        (900001, "city", "exact"),  # PPLA2
        (900002, "town", "exact"),  # PPL
        (900003, "district", "district"),  # ADM2
        (900004, "country", "country"),  # PCLI
        (900005, "province", "province"),  # ADM1
        (900007, "mine", "exact"),  # MN
        (900006, "mine", "near"),  # MNA: a mining area, the point somewhere in it
    ],
)
def test_dump_feature_codes_set_kind_and_precision(rows, gid, kind, precision):
    assert (rows[gid].kind, rows[gid].precision) == (kind, precision)


def test_admin1_code_unknown_to_mapper_is_named_by_the_dumps_adm1_record(rows):
    # "01" is not in data/gazetteer/admin1.csv; the dump's own ADM1 record names it.
    assert (rows[900005].admin1, rows[900005].province) == ("01", "Epsilon Province")


def test_adm2_record_names_its_district(rows):
    assert rows[900003].district == "Gamma Division"
    assert rows[900001].district is None  # no admin2 code


def _dump_line(**changes: str) -> str:
    fields = dict.fromkeys(geonames_dump.DUMP_COLUMNS, "")
    fields.update(
        {
            "geonameid": "1",
            "name": "Alpha",
            "latitude": "1.5",
            "longitude": "2.5",
            "feature class": "P",
            "feature code": "PPL",
            "country code": "PK",
        }
    )
    fields.update({k.replace("_", " "): v for k, v in changes.items()})
    return "\t".join(fields[c] for c in geonames_dump.DUMP_COLUMNS)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("1\tAlpha\tAlpha", r"PK\.txt:2: expected 19 tab-separated GeoNames columns, got 3"),
        (_dump_line(latitude="north"), r"PK\.txt:2: column 'latitude': expected a number"),
        (_dump_line(longitude="181"), r"PK\.txt:2: column 'longitude': expected a value between"),
        (_dump_line(geonameid="x1"), r"PK\.txt:2: column 'geonameid': expected an integer"),
        (_dump_line(population="many"), r"PK\.txt:2: column 'population': expected an integer"),
        (_dump_line(name=" "), r"PK\.txt:2: column 'name': expected a place name"),
    ],
)
def test_bad_dump_lines_name_file_line_and_column(tmp_path, line, message):
    path = tmp_path / "PK.txt"
    path.write_text(_dump_line() + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=message):
        geonames_dump.read_geonames_dump(path)


def test_dump_detection_by_first_line():
    assert geonames_dump.looks_like_geonames_dump(DUMP.read_text(encoding="utf-8").splitlines()[0])
    assert not geonames_dump.looks_like_geonames_dump("name,latitude,longitude")


# --- import-geonames ------------------------------------------------------------------

IMPORT = Path(__file__).parent / "fixtures" / "geonames"
PK_DUMP = IMPORT / "PK.txt"


@pytest.fixture
def run_import(tmp_path, capsys):
    def run(*args: str, dump: Path = PK_DUMP) -> tuple[int, Path, str]:
        out = tmp_path / "out.csv"
        code = main(["gazetteer", "import-geonames", str(dump), "-o", str(out), *args])
        return code, out, capsys.readouterr().err

    return run


def _places(path: Path) -> dict[int, PlaceRow]:
    return {r.geonameid: r for r in read_gazetteer_csv(path)}


def test_import_reads_the_19_column_format_into_a_gazetteer_csv(run_import):
    code, out, err = run_import()
    assert code == 0
    places = _places(out)
    kalatok = places[9100004]
    assert (kalatok.name, kalatok.latitude, kalatok.longitude) == ("Kalatok", 28.8, 66.3)
    assert (kalatok.kind, kalatok.precision, kalatok.country) == ("town", "exact", "PK")
    assert places[9100005].population == 15000
    header = out.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[-1] == "source"
    assert {line.rsplit(",", 1)[1] for line in out.read_text().splitlines()[1:]} == {
        "GeoNames dump PK.txt"
    }
    assert "13 records: 10 kept, 3 skipped" in err and ", 0 rejected" in err
    assert "GeoNames (geonames.org), CC BY 4.0" in err


def test_feature_classes_p_and_a_and_chosen_codes_are_kept_others_counted(run_import):
    _, out, err = run_import()
    kinds = {r.name: (r.kind, r.precision) for r in _places(out).values()}
    assert kinds["Kohlan Coal Mine"] == ("mine", "exact")  # S.MNC
    assert kinds["Sarbandar Port"] == ("port", "exact")  # L.PRT
    assert kinds["Pishkan Levies Post"] == ("police post", "exact")  # S.PP
    assert kinds["Balochistan"] == ("province", "province")  # A.ADM1
    assert kinds["Betapur District"] == ("district", "district")  # A.ADM2
    for skipped in ("Kalatok Government School", "Kalatok Kaur", "Koh-e-Dambar"):
        assert skipped not in kinds
    assert "1 class S (other spots, buildings, farms)" in err
    assert "1 class H (other streams, lakes)" in err
    assert "1 class T (other mountains, hills, rocks)" in err


def test_country_filter_skips_and_counts_other_countries(run_import):
    _, out, err = run_import("--country", "Pakistan")
    assert {r.country for r in _places(out).values()} == {"PK"}
    assert "1 outside --country" in err and "12 kept" not in err
    assert "9 kept" in err


def test_account_counts_every_record_once():
    rows, account = geonames_dump.read_geonames_places(PK_DUMP, countries=["PK"])
    assert account.records == account.kept + sum(account.skipped.values()) + len(account.rejected)
    assert account.kept == len(rows) == 9


@pytest.mark.parametrize(
    ("alternatenames", "name", "expected"),
    [
        ("Kweta,QUETTA,Kwetta", "Quetta", ("Kweta", "Kwetta")),  # the name again, in capitals
        ("UET,OPQT,87300,PK-BA,https://example.org/q", "Quetta", ()),  # codes, numbers, URLs
        ("کوئٹہ,Shāl,Кветта", "Quetta", ("Shāl",)),  # Latin script only, accents welcome
        ("Shal,shal,SHAL", "Quetta", ("Shal",)),  # repeats differing in case
    ],
)
def test_useful_aliases_drop_codes_repeats_and_other_scripts(alternatenames, name, expected):
    assert geonames_dump.useful_aliases(alternatenames, name) == expected


def test_all_scripts_keeps_urdu_aliases(run_import):
    _, out, _ = run_import("--all-scripts")
    assert "زورآباد" in _places(out)[9100005].aliases
    _, out, _ = run_import()
    assert _places(out)[9100005].aliases == ("Zorabad Bazar", "Zurabad", "Zorabad")


def _resolve(capsys, gazetteer: Path, *args: str) -> list[dict]:
    capsys.readouterr()
    assert main(["resolve", "--gazetteer", str(gazetteer), "-f", "json", *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_alternate_names_resolve_through_the_imported_gazetteer(run_import, capsys):
    _, out, _ = run_import()
    [zurabad, mine] = _resolve(capsys, out, "Zurabad", "Kohlan Mines")
    assert (zurabad["matched_name"], zurabad["match_type"]) == ("Zōrabad", "alias")
    assert (zurabad["latitude"], zurabad["longitude"]) == (26.6, 63.45)
    assert (mine["matched_name"], mine["kind"]) == ("Kohlan Coal Mine", "mine")


def test_admin_codes_become_names_and_a_district_hint_picks_the_place(run_import, capsys):
    _, out, _ = run_import()
    places = _places(out)
    assert (places[9100003].district, places[9100003].province) == (
        "Alphadar District",
        "Balochistan",
    )
    assert places[9100004].district == "Betapur District"
    [betapur] = _resolve(capsys, out, "Kalatok", "--district", "Betapur")
    [alphadar] = _resolve(capsys, out, "Kalatok", "--district", "Alphadar District")
    assert (betapur["latitude"], betapur["longitude"]) == (28.8, 66.3)
    assert (alphadar["latitude"], alphadar["longitude"]) == (26.45, 63.2)
    assert not betapur["ambiguous"] and not alphadar["ambiguous"]
    [unhinted] = _resolve(capsys, out, "Kalatok")
    assert unhinted["ambiguous"]


def test_admin_code_files_name_divisions_the_dump_has_no_record_for(run_import):
    _, out, _ = run_import()
    assert (_places(out)[9100012].province, _places(out)[9100012].district) == (None, None)
    _, out, _ = run_import(
        "--admin1-codes",
        str(IMPORT / "admin1CodesASCII.txt"),
        "--admin2-codes",
        str(IMPORT / "admin2Codes.txt"),
    )
    jangaran = _places(out)[9100012]
    assert (jangaran.province, jangaran.district) == ("Sistan and Baluchestan", "Saravan County")


def test_malformed_admin_code_file_names_file_and_line(run_import, tmp_path):
    bad = tmp_path / "admin2Codes.txt"
    bad.write_text("IR.04.9301\tSaravan County\t\t1\nIR.04\tNo district code\t\t2\n")
    code, out, err = run_import("--admin2-codes", str(bad))
    assert code == 2 and not out.exists()
    assert re.search(r"admin2Codes\.txt:2: expected the admin2Codes\.txt format", err)


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def test_zipped_and_unzipped_dumps_give_byte_identical_output(run_import, tmp_path):
    _, plain, _ = run_import()
    expected = plain.read_bytes()
    archive = _zip(
        tmp_path / "PK.zip", {"readme.txt": b"about the dump\n", "PK.txt": PK_DUMP.read_bytes()}
    )
    code, zipped, err = run_import(dump=archive)
    assert code == 0 and zipped.read_bytes() == expected
    assert "PK.txt: 13 records: 10 kept" in err


def test_chunk_boundaries_keep_every_line_and_its_number(tmp_path, monkeypatch):
    lines = PK_DUMP.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[6] = lines[6].replace("\t28.70\t", "\tnorth\t")  # line 7: the coal mine
    dump = tmp_path / "PK.txt"
    dump.write_text("".join(lines), encoding="utf-8")
    whole_rows, whole = geonames_dump.read_geonames_places(dump)
    monkeypatch.setattr(geonames_dump, "_CHUNK_BYTES", 97)  # lines cut at every possible place
    rows, account = geonames_dump.read_geonames_places(dump)
    assert rows == whole_rows and len(rows) == 9
    assert account.rejected == whole.rejected
    assert [(r.line, r.column) for r in account.rejected] == [(7, "latitude")]


def _bad_dump(tmp_path: Path, line: int, text: bytes) -> Path:
    lines = PK_DUMP.read_bytes().splitlines(keepends=True)
    lines[line - 1] = text
    dump = tmp_path / "PK.txt"
    dump.write_bytes(b"".join(lines))
    return dump


def _line(number: int) -> bytes:
    return PK_DUMP.read_bytes().splitlines(keepends=True)[number - 1]


@pytest.mark.parametrize(
    ("line", "text", "message"),
    [
        (4, b"9100003\tKalatok\tKalatok\n", r"PK\.txt:4: expected 19 tab-separated GeoNames "
         r"columns, got 3"),
        (4, _line(4).replace(b"\t26.45\t", b"\tNaN\t"), r"PK\.txt:4: column 'latitude': "
         r"expected a value between -90 and 90, got NaN"),
        (5, _line(5).replace(b"\t66.30\t", b"\t66,30\t"), r"PK\.txt:5: column 'longitude': "
         r"expected a number in degrees, got '66,30'"),
        (5, _line(5).replace(b"\t28.80\t66.30\t", b"\t66.30\t28.80\t"), r"PK\.txt:5: column "
         r"'latitude': point \(66\.3, 28\.8\) lies outside PK .*look swapped"),
        (6, _line(6).replace(b"15000", b"15k"), r"PK\.txt:6: column 'population': expected an "
         r"integer, got '15k'"),
        (3, _line(3).replace(b"Betapur District", b"Betapur \xff"), r"PK\.txt:3: column 'name': "
         r"expected UTF-8 text"),
    ],
)  # fmt: skip
def test_a_malformed_line_is_rejected_reported_and_the_rest_imported(
    run_import, tmp_path, line, text, message
):
    dump = _bad_dump(tmp_path, line, text)
    report = tmp_path / "report.csv"
    code, out, err = run_import("--report", str(report), dump=dump)
    assert code == 1
    assert re.search(r"rejected: \S*" + message, err)
    assert "13 records: 9 kept, 3 skipped" in err and ", 1 rejected" in err
    assert len(_places(out)) == 9
    with open(report, encoding="utf-8", newline="") as fh:
        [row] = list(csv.DictReader(fh))
    assert (row["line"], row["status"], row["table"]) == (str(line), "rejected", "geonames")
    assert re.search(message.split(":", 2)[-1].strip(), row["reason"])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", r"PK\.txt: no places: expected GeoNames records"),
        (b"\n\n", r"PK\.txt: no places: expected GeoNames records"),
        (bytes(range(256)) * 64, r"PK\.txt: looks like a binary file, expected text"),
        (b"name,latitude,longitude\nKalatok,28.8,66.3\n", r"PK\.txt:1: expected a GeoNames "
         r"dump: 19 tab-separated columns, got 1"),
        (b"x" + _line(4), r"PK\.txt:1: column 'geonameid': expected a GeoNames dump: a numeric "
         r"geonameid, got 'x9100003'"),
        (_line(9) + _line(10), r"PK\.txt: no places kept: 2 records: 0 kept, 2 skipped"),
    ],
)  # fmt: skip
def test_a_file_that_is_not_a_dump_is_refused_in_one_line(run_import, tmp_path, content, message):
    dump = tmp_path / "PK.txt"
    dump.write_bytes(content)
    code, out, err = run_import(dump=dump)
    assert code == 2 and not out.exists()
    assert re.search(r"^mapper: error: \S*" + message, err)
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ({"readme.txt": b"no dump here\n"}, r"PK\.zip: expected a GeoNames dump .* inside the "
         r"zip, found: readme\.txt"),
        ({"IR.txt": b"", "AF.txt": b""}, r"PK\.zip: expected one GeoNames dump inside the zip, "
         r"found several: IR\.txt, AF\.txt"),
    ],
)  # fmt: skip
def test_a_zip_without_one_dump_is_refused(run_import, tmp_path, members, message):
    code, out, err = run_import(dump=_zip(tmp_path / "PK.zip", members))
    assert code == 2 and not out.exists()
    assert re.search(message, err)


def test_a_broken_zip_is_refused(run_import, tmp_path):
    archive = tmp_path / "PK.zip"
    archive.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    code, _, err = run_import(dump=archive)
    assert code == 2 and re.search(r"PK\.zip: broken zip file", err)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--country", "Atlantis"], r"--country: expected an ISO 3166 alpha-2 code .*'Atlantis'"),
        (["--country", "AF"], r"no places kept: 13 records: 0 kept, 13 skipped \(13 outside"),
    ],
)
def test_country_option_mistakes_exit_2(run_import, args, message):
    code, out, err = run_import(*args)
    assert code == 2 and not out.exists()
    assert re.search(message, err)


def test_a_missing_file_is_named(run_import, tmp_path):
    code, _, err = run_import(dump=tmp_path / "nowhere.txt")
    assert code == 2 and re.search(r"nowhere\.txt: no such file", err)
