"""GeoNames dumps: the standard 19-column, tab-separated files, read whole or imported in chunks.

A dump (``PK.txt``, ``allCountries.txt``, ``cities500.txt``..., plain or
zipped) has no header. :func:`read_geonames_dump` reads a small one as
``--gazetteer`` rows; :func:`import_geonames` streams a big one into a
gazetteer CSV with an account of every record it skips or rejects. Its places
carry GeoNames' CC BY 4.0 credit (:data:`~mapper.gazetteer.sources.geonames.GEONAMES_CREDIT`).
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import sys
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from mapper.errors import InputError
from mapper.files import read_text
from mapper.gazetteer.countries import (
    province_name,
)
from mapper.gazetteer.extents import (
    country_extent,
    outside_country,
)
from mapper.gazetteer.places import PlaceRow
from mapper.gazetteer.write import write_gazetteer_csv

if TYPE_CHECKING:
    import pandas as pd


#: The 19 columns of a GeoNames dump, in order.
DUMP_COLUMNS: tuple[str, ...] = (
    "geonameid",
    "name",
    "asciiname",
    "alternatenames",
    "latitude",
    "longitude",
    "feature class",
    "feature code",
    "country code",
    "cc2",
    "admin1 code",
    "admin2 code",
    "admin3 code",
    "admin4 code",
    "population",
    "elevation",
    "dem",
    "timezone",
    "modification date",
)


#: Feature codes outside classes P and A that are worth keeping, with the kind and
#: precision they get. Incidents happen at mines, ports, airfields, dams, bases,
#: border and police posts, gas fields, camps, railway stations, passes and valleys;
#: the rest of classes S, L, H, T, R, U and V (farms, schools, streams, hills,
#: roads...) would bury those under millions of names nobody reports.
KEPT_FEATURES: dict[str, tuple[str, str]] = {
    **dict.fromkeys(
        ("MN", "MNAU", "MNC", "MNCR", "MNCU", "MNFE", "MNN", "MNQ", "MNQR"), ("mine", "exact")
    ),
    "MNA": ("mine", "near"),  # a mining area: the point is somewhere in it
    "PRT": ("port", "exact"),
    "HBR": ("port", "exact"),
    **dict.fromkeys(("AIRP", "AIRF", "AIRB", "AIRH"), ("airport", "exact")),
    "DAM": ("dam", "exact"),
    **dict.fromkeys(("INSM", "MILB", "FT"), ("military", "exact")),
    **dict.fromkeys(("PSTB", "PSTC", "CSTM"), ("border post", "exact")),
    "PP": ("police post", "exact"),
    "OILF": ("oil field", "near"),
    "GASF": ("gas field", "near"),
    **dict.fromkeys(("CMP", "CMPRF", "CMPMN", "CMPLA"), ("camp", "exact")),
    **dict.fromkeys(("RSTN", "RSTP"), ("railway station", "exact")),
    "PASS": ("pass", "exact"),
    "VAL": ("valley", "near"),
}
#: Feature classes the importer keeps whole: populated places and administrative areas.
KEPT_CLASSES: tuple[str, ...] = ("P", "A")
#: What each GeoNames feature class holds (for the account of skipped records).
FEATURE_CLASSES: dict[str, str] = {
    "A": "country, state, region",
    "H": "streams, lakes",
    "L": "parks, areas",
    "P": "cities, villages",
    "R": "roads, railroads",
    "S": "spots, buildings, farms",
    "T": "mountains, hills, rocks",
    "U": "undersea",
    "V": "forests, heaths",
}


def _kind_and_precision(feature_class: str, feature_code: str) -> tuple[str, str]:
    """Map a GeoNames feature class and code to mapper's kind and precision."""
    if feature_class == "P":
        if feature_code in ("PPLC", "PPLG") or feature_code.startswith("PPLA"):
            return "city", "exact"
        return "town", "exact"
    if feature_class == "A":
        if feature_code.startswith("PCL"):
            return "country", "country"
        if feature_code == "ADM1":
            return "province", "province"
        if feature_code.startswith("ADM"):
            # ADM2 and finer: a point standing for an area no smaller than a sub-district.
            return "district", "district"
        return "area", "district"
    return KEPT_FEATURES.get(feature_code, ("place", "exact"))


def looks_like_geonames_dump(first_line: str) -> bool:
    """Return True if a file's first line is a GeoNames dump record (19 tab-separated fields)."""
    fields = first_line.rstrip("\r\n").split("\t")
    return len(fields) == len(DUMP_COLUMNS) and fields[0].strip().isdigit()


# Positions of the columns a place is built from.
_GID, _NAME, _ASCII, _ALT, _LAT, _LON, _FCLASS, _FCODE, _CC = range(9)
_ADMIN1, _ADMIN2, _POP = 10, 11, 14
_USED = (_GID, _NAME, _ASCII, _ALT, _LAT, _LON, _FCLASS, _FCODE, _CC, _ADMIN1, _ADMIN2, _POP)


@functools.lru_cache(maxsize=1024)
def _extent(country: str | None) -> tuple[float, float, float, float] | None:

    return country_extent(country) if country else None


def _all_aliases(alternatenames: str, name: str) -> tuple[str, ...]:
    return tuple(a for a in alternatenames.split(",") if a.strip())


def _dump_place(
    values: Sequence[str],
    *,
    path: object,
    line: int,
    source: str,
    aliases_of: Callable[[str, str], tuple[str, ...]] = _all_aliases,
) -> PlaceRow:
    """Build one place from a record's values in :data:`_USED` order; InputError if malformed.

    The one record reader behind :func:`read_geonames_dump` and :func:`read_geonames_places`.
    """
    gid_s, name, ascii_name, alt, lat_s, lon_s, fclass, fcode, cc, admin1, admin2, pop_s = values
    gid = _dump_int(gid_s, "geonameid", path, line, required=True)
    lat = _dump_float(lat_s, "latitude", path, line, -90.0, 90.0)
    lon = _dump_float(lon_s, "longitude", path, line, -180.0, 180.0)
    name = name.strip()
    if not name:
        raise InputError("expected a place name, got an empty value", path=path, line=line,
                         column="name")  # fmt: skip
    population = _dump_int(pop_s, "population", path, line, required=False)
    kind, precision = _kind_and_precision(fclass, fcode)
    country = cc.strip() or None
    box = _extent(country)
    # Most points lie in their country's box: judge (and build a message) only the others.
    if box is not None and not (box[0] <= lat <= box[2] and box[1] <= lon <= box[3]):
        why = outside_country(lat, lon, country, only_swapped=True)
        if why:
            raise InputError(why, path=path, line=line, column="latitude")
    ascii_name = ascii_name.strip()
    return PlaceRow(
        name=name,
        # asciiname is the same name transliterated: as good as the name itself.
        exact_variants=(ascii_name,) if ascii_name and ascii_name != name else (),
        aliases=aliases_of(alt, name),
        latitude=lat,
        longitude=lon,
        kind=kind,
        precision=precision,
        country=country,
        admin1=admin1.strip() or None,
        population=population,
        geonameid=gid,
        source=source,
        # Carried to _AdminNames.fill, which replaces it with the district's name.
        district=admin2.strip() or None,
    )


def read_geonames_dump(path: str | os.PathLike[str]) -> list[PlaceRow]:
    """Read a GeoNames dump in the standard 19-column, tab-separated format, every record.

    Feature codes set the kind: ``PPLC``/``PPLA*`` are cities, other ``PPL*``
    towns; ``ADM1`` a province, ``ADM2`` and finer a district (with that
    precision), ``PCL*`` a country; see :data:`KEPT_FEATURES` for mines, ports
    and the like. Province and district names come from mapper's table of
    first-level divisions and from the dump's own ``ADM1``/``ADM2`` records.
    This is the reader behind ``--gazetteer PK.txt``: it keeps every feature
    class and stops at the first malformed line; :func:`read_geonames_places`
    streams big dumps, filters and counts instead.

    Raises
    ------
    InputError
        Naming the file, the line and the column of the first malformed value.
    """
    text = read_text(path)
    name = Path(path).name
    admin = _AdminNames()
    rows: list[PlaceRow] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != len(DUMP_COLUMNS):
            raise InputError(
                f"expected {len(DUMP_COLUMNS)} tab-separated GeoNames columns, got {len(fields)}",
                path=path,
                line=lineno,
            )
        row = _dump_place([fields[i] for i in _USED], path=path, line=lineno, source=name)
        admin.note(row, fields[_FCODE])
        rows.append(row)
    if not rows:
        raise InputError(
            f"no places: expected GeoNames records ({len(DUMP_COLUMNS)} tab-separated fields "
            "a line), found none",
            path=path,
        )
    admin.fill(rows)
    return rows


def _dump_int(value: str, column: str, path: object, line: int, *, required: bool) -> int:
    value = value.strip()
    if not value and not required:
        return 0
    try:
        return int(value)
    except ValueError:
        raise InputError(
            f"expected an integer, got {_clip(value)!r}", path=path, line=line, column=column
        ) from None


def _dump_float(value: str, column: str, path: object, line: int, low: float, high: float) -> float:
    value = value.strip()
    try:
        number = float(value)
    except ValueError:
        raise InputError(
            f"expected a number in degrees, got {_clip(value)!r}",
            path=path,
            line=line,
            column=column,
        ) from None
    if not low <= number <= high:  # NaN fails too
        raise InputError(
            f"expected a value between {low:g} and {high:g}, got {_clip(value)}",
            path=path,
            line=line,
            column=column,
        )
    return number


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- administrative names ------------------------------------------------------


class _AdminNames:
    """Names of first- and second-level divisions by code, from every source given.

    Precedence: mapper's own table of provinces (:func:`admin1_table`, the
    spellings its hints know), then ``admin1CodesASCII.txt``/``admin2Codes.txt``
    files, then the dump's own ``ADM1``/``ADM2`` records.
    """

    def __init__(self) -> None:
        self.files1: dict[tuple[str, str], str] = {}
        self.files2: dict[tuple[str, str, str], str] = {}
        self.dump1: dict[tuple[str, str], str] = {}
        self.dump2: dict[tuple[str, str, str], str] = {}

    def note(self, row: PlaceRow, feature_code: str) -> None:
        """Remember the name of a dump's ADM1 or ADM2 record."""
        if feature_code == "ADM1" and row.country and row.admin1:
            self.dump1.setdefault((row.country, row.admin1), row.name)
        elif feature_code == "ADM2" and row.country and row.admin1 and row.district:
            self.dump2.setdefault((row.country, row.admin1, row.district), row.name)

    def read_codes(self, path: str | os.PathLike[str], *, level: int) -> None:
        """Read ``admin1CodesASCII.txt`` (level 1) or ``admin2Codes.txt`` (level 2).

        Lines are ``CC.ADMIN1[.ADMIN2] <tab> name <tab> asciiname <tab> geonameid``.
        """
        which = "admin1CodesASCII.txt" if level == 1 else "admin2Codes.txt"
        for lineno, line in enumerate(read_text(path).splitlines(), start=1):
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split("\t")
            parts = fields[0].strip().split(".")
            if len(fields) < 2 or len(parts) != level + 1 or not all(parts):
                example = "PK.02" if level == 1 else "PK.02.1168384"
                raise InputError(
                    f"expected the {which} format: a code such as {example}, a tab, a name...; "
                    f"got {_clip(line)!r}",
                    path=path,
                    line=lineno,
                )
            name = fields[1].strip()
            if not name:
                raise InputError("expected a name, got an empty value", path=path, line=lineno,
                                 column="name")  # fmt: skip
            if level == 1:
                self.files1[(parts[0], parts[1])] = name
            else:
                self.files2[(parts[0], parts[1], parts[2])] = name

    def province(self, country: str | None, admin1: str | None) -> str | None:
        if not country or not admin1:
            return None
        key = (country, admin1)
        return province_name(country, admin1) or self.files1.get(key) or self.dump1.get(key)

    def district(self, country: str | None, admin1: str | None, admin2: str | None) -> str | None:
        if not country or not admin1 or not admin2:
            return None
        key = (country, admin1, admin2)
        return self.files2.get(key) or self.dump2.get(key)

    def fill(self, rows: list[PlaceRow]) -> None:
        """Replace each row's admin2 code (kept in ``district``) by names; fill ``province``."""
        provinces: dict[tuple[str | None, str | None], str | None] = {}
        for r in rows:
            key = (r.country, r.admin1)
            if key not in provinces:
                provinces[key] = self.province(*key)
            r.province = provinces[key]
            r.district = self.district(r.country, r.admin1, r.district)


# --- importing big dumps ---------------------------------------------------------

#: Source label of an imported dump's places; the CSV's readers credit GeoNames by it.
DUMP_SOURCE = "GeoNames dump {name}"
# Bytes read at a time: big enough for Arrow to pay off, small enough to stay light.
_CHUNK_BYTES = 16 << 20
# Inputs above this size show a progress bar (on a terminal).
_PROGRESS_BYTES = 64 << 20
# How much of the file is inspected before reading it as a dump.
_SNIFF_BYTES = 65536
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")
# An alternate name that is a URL, a number, or a code (IATA "UET", ICAO "OPQT", postcodes,
# ISO 3166-2 subdivision codes such as "PK-BA").
_CODE_ALIAS = re.compile(
    r"(?:https?://|www\.)|^[\W\d_]+$|^[A-Z]{3,4}$|^(?=.*\d)[A-Z0-9-]+$|^[A-Z]{2}-[A-Z0-9]{1,3}$"
)


@dataclass(frozen=True)
class Rejection:
    """A malformed line of a dump: where, which column, and why."""

    line: int
    column: str | None
    reason: str
    geonameid: str = ""


@dataclass
class GeoNamesImport:
    """The account of one import: every record read is kept, skipped or rejected.

    Attributes
    ----------
    path : str
        The file given (a dump or a zip).
    dump : str
        The dump's own name (``PK.txt``; the member of a zip).
    records : int
        Records read (blank and ``#`` comment lines are not records).
    kept : int
        Places written.
    skipped : dict
        Records left out on purpose, by reason (a feature class, ``--country``).
    rejected : list of Rejection
        Malformed lines, in file order.
    """

    path: str
    dump: str
    records: int = 0
    kept: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    rejected: list[Rejection] = field(default_factory=list)

    @property
    def source(self) -> str:
        """Return the source label of the imported places."""
        return DUMP_SOURCE.format(name=self.dump)

    def summary(self) -> str:
        """Return ``"N records: K kept, S skipped (by reason), R rejected"``."""
        total = sum(self.skipped.values())
        reasons = ", ".join(
            f"{n:,} {why}" for why, n in sorted(self.skipped.items(), key=lambda kv: -kv[1])
        )
        skipped = f"{total:,} skipped ({reasons})" if total else "0 skipped"
        return (
            f"{self.records:,} records: {self.kept:,} kept, {skipped}, "
            f"{len(self.rejected):,} rejected"
        )

    def report(self) -> pd.DataFrame:
        """Return the rejected lines as a read report (:data:`mapper.schema.REPORT_COLUMNS`)."""
        import pandas as pd

        from mapper.schema import REPORT_COLUMNS

        records = [
            (
                self.path,
                r.line,
                "geonames",
                r.geonameid,
                "rejected",
                f"column '{r.column}': {r.reason}" if r.column else r.reason,
            )
            for r in self.rejected
        ]
        return pd.DataFrame(records, columns=list(REPORT_COLUMNS))


def latin_script(text: str) -> bool:
    """Return True if every letter of ``text`` is a Latin letter (with or without accents).

    Examples
    --------
    >>> latin_script("Dālbandīn"), latin_script("دالبندین")
    (True, False)
    """
    if text.isascii():
        return True
    for ch in text:
        if ch.isalpha():
            o = ord(ch)
            if not (
                o < 0x250 or 0x1E00 <= o < 0x1F00 or 0x2C60 <= o < 0x2C80 or 0xA720 <= o < 0xA800
            ):
                return False
    return True


def useful_aliases(alternatenames: str, name: str, *, all_scripts: bool = False) -> tuple[str, ...]:
    """Return the alternate names worth looking up, deduplicated, in the dump's order.

    Dropped: empty values, the name itself, URLs, numbers and codes (airport
    codes such as ``UET``/``OPQT``, postcodes), repeats that differ only in
    case, and, unless ``all_scripts``, names in other scripts than Latin
    (reporters writing in English spell places in Latin letters).

    Examples
    --------
    >>> useful_aliases("Kweta,QUETTA,UET,OPQT,87300,کوئٹہ,Shal", "Quetta")
    ('Kweta', 'Shal')
    """
    seen = {name.casefold()}
    out = []
    for alias in alternatenames.split(","):
        alias = alias.strip()
        folded = alias.casefold()
        if not alias or folded in seen or _CODE_ALIAS.search(alias):
            continue
        if not all_scripts and not latin_script(alias):
            continue
        seen.add(folded)
        out.append(alias)
    return tuple(out)


@contextlib.contextmanager
def _open_dump(path: str | os.PathLike[str]) -> Iterator[tuple[BinaryIO, int, str]]:
    """Open a dump or the dump inside a zip; yield ``(binary stream, size, dump name)``."""
    import zipfile

    from mapper.files import open_input

    p = Path(path)
    with open_input(p, expected="a GeoNames dump") as fh:
        if fh.read(4) != b"PK\x03\x04":
            fh.seek(0)
            yield fh, os.fstat(fh.fileno()).st_size, p.name
            return
        fh.seek(0)
        try:
            archive = zipfile.ZipFile(fh)
        except zipfile.BadZipFile as err:
            raise InputError(f"broken zip file ({err})", path=p) from err
        with archive:
            member = _dump_member(archive, p)
            try:
                with archive.open(member) as inner:
                    yield inner, member.file_size, Path(member.filename).name
            except (zipfile.BadZipFile, EOFError, zlib.error) as err:
                raise InputError(f"broken zip file ({err})", path=f"{p}:{member.filename}") from err


def _dump_member(archive: Any, path: Path) -> Any:
    """Pick the dump among a zip's members: a .txt that is not the readme."""
    infos = [i for i in archive.infolist() if not i.is_dir()]
    dumps = [
        i
        for i in infos
        if i.filename.lower().endswith(".txt")
        and not Path(i.filename).name.lower().startswith("readme")
    ]
    if not dumps:
        found = ", ".join(i.filename for i in infos) or "nothing"
        raise InputError(
            f"expected a GeoNames dump (a .txt such as PK.txt) inside the zip, found: "
            f"{_clip(found, 200)}",
            path=path,
        )
    # PK.zip holds PK.txt: prefer the member named like the archive.
    same = [i for i in dumps if Path(i.filename).stem.lower() == path.stem.lower()]
    if len(same) == 1:
        return same[0]
    if len(dumps) > 1:
        raise InputError(
            "expected one GeoNames dump inside the zip, found several: "
            + _clip(", ".join(i.filename for i in dumps), 200),
            path=path,
        )
    return dumps[0]


def _chunks(fh: BinaryIO, size: int) -> Iterator[bytes]:
    """Yield pieces of ``fh`` that end at a line end (the last one may not)."""
    carry = b""
    while True:
        block = fh.read(size)
        if not block:
            if carry:
                yield carry
            return
        data = carry + block if carry else block
        cut = data.rfind(b"\n")
        if cut < 0:
            carry = data
            continue
        yield data[: cut + 1]
        carry = data[cut + 1 :]


def _check_start(head: bytes, path: object) -> None:
    """Refuse what is plainly not a dump: binary data, or a first record of another shape."""
    text = head.decode("utf-8", errors="replace")
    if b"\x00" in head or len(_CONTROL.findall(text)) > max(8, len(text) // 100):
        raise InputError("looks like a binary file, expected text (a GeoNames dump)", path=path)
    lines = text.split("\n")
    if len(head) == _SNIFF_BYTES:
        lines = lines[:-1]  # cut off mid-line
    for lineno, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != len(DUMP_COLUMNS):
            raise InputError(
                f"expected a GeoNames dump: {len(DUMP_COLUMNS)} tab-separated columns, "
                f"got {len(fields)}",
                path=path,
                line=lineno,
            )
        if not fields[0].strip().isdigit():
            raise InputError(
                f"expected a GeoNames dump: a numeric geonameid, got {_clip(fields[0])!r}",
                path=path,
                line=lineno,
                column="geonameid",
            )
        return


def read_geonames_places(
    path: str | os.PathLike[str],
    *,
    countries: Sequence[str] | None = None,
    admin1_codes: str | os.PathLike[str] | None = None,
    admin2_codes: str | os.PathLike[str] | None = None,
    all_scripts: bool = False,
    progress: bool | None = None,
) -> tuple[list[PlaceRow], GeoNamesImport]:
    """Stream a GeoNames dump (``PK.txt``, ``allCountries.txt`` or their zip) into places.

    Kept: feature classes ``P`` (cities, villages) and ``A`` (countries,
    provinces, districts) and the codes of :data:`KEPT_FEATURES` (mines, ports,
    airports, dams, military sites, border and police posts, oil and gas
    fields, camps, railway stations, passes, valleys); other records are
    skipped and counted by feature class. Alternate names become aliases
    (see :func:`useful_aliases`); admin codes become province and district
    names (see ``admin1_codes``). The file is read in pieces of 16 MB, split
    and filtered by Arrow: only kept records reach Python.

    A malformed line (wrong number of columns, a bad coordinate or number,
    not UTF-8) is rejected and counted, and the import goes on: one bad line in
    13 million should not cost the other places. A file that is not a dump at
    all (binary, another first record, no records) is refused.

    Parameters
    ----------
    path : str or os.PathLike
        The dump, or a zip holding it (GeoNames' ``PK.zip`` holds ``PK.txt``
        and ``readme.txt``).
    countries : sequence of str, optional
        Keep only places in these countries (ISO alpha-2 codes).
    admin1_codes, admin2_codes : path, optional
        GeoNames' ``admin1CodesASCII.txt`` and ``admin2Codes.txt``, naming
        divisions the dump has no ``ADM1``/``ADM2`` record for.
    all_scripts : bool
        Keep alternate names in every script, not only Latin.
    progress : bool, optional
        Show a progress bar on stderr; by default for inputs above 64 MB on a terminal.

    Returns
    -------
    (list of PlaceRow, GeoNamesImport)
        The places in file order, and the account of every record.

    Raises
    ------
    InputError
        If the file is not a dump, or no record is kept.
    """
    admin = _AdminNames()
    if admin1_codes is not None:
        admin.read_codes(admin1_codes, level=1)
    if admin2_codes is not None:
        admin.read_codes(admin2_codes, level=2)
    wanted = {c.upper() for c in countries} if countries else None
    rows: list[PlaceRow] = []
    with _open_dump(path) as (fh, size, dump_name):
        account = GeoNamesImport(path=str(path), dump=dump_name)
        head = fh.read(_SNIFF_BYTES)
        if head.startswith(b"\xef\xbb\xbf"):
            head = head[3:]  # a byte-order mark from an editor: not part of the first record
        _check_start(head, path)
        show = progress if progress is not None else size >= _PROGRESS_BYTES
        from tqdm import tqdm

        bar = tqdm(
            total=size,
            unit="B",
            unit_scale=True,
            desc=dump_name,
            file=sys.stderr,
            # None: tqdm draws only on a terminal.
            disable=True if not show else (None if progress is None else False),
        )
        with bar:
            stream = _Prefixed(head, fh)
            line_base = 0
            for chunk in _chunks(stream, _CHUNK_BYTES):
                line_base = _read_chunk(
                    chunk, line_base, path, account, rows, admin, wanted, all_scripts
                )
                bar.update(len(chunk))
    if not account.records:
        raise InputError(
            f"no places: expected GeoNames records ({len(DUMP_COLUMNS)} tab-separated fields "
            "a line), found none",
            path=path,
        )
    admin.fill(rows)
    account.kept = len(rows)
    return rows, account


class _Prefixed:
    """A binary stream that first returns bytes already read from it."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self.head = head
        self.rest = rest

    def read(self, size: int) -> bytes:
        if not self.head:
            return self.rest.read(size)
        out, self.head = self.head[:size], self.head[size:]
        if len(out) < size:
            out += self.rest.read(size - len(out))
        return out


def _read_chunk(
    chunk: bytes,
    line_base: int,
    path: object,
    account: GeoNamesImport,
    rows: list[PlaceRow],
    admin: _AdminNames,
    wanted: set[str] | None,
    all_scripts: bool,
) -> int:
    """Read the whole lines of ``chunk`` (line ``line_base + 1`` onwards); return the last line."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    buf = np.frombuffer(chunk, dtype=np.uint8)
    ends = np.flatnonzero(buf == 10) + 1
    if not chunk.endswith(b"\n"):
        ends = np.append(ends, len(chunk))
    n = len(ends)
    # Each value is one line with its line end: no copy of the bytes, no Python per line.
    offsets = np.concatenate(([0], ends)).astype(np.int64)
    lines = pa.Array.from_buffers(
        pa.large_binary(), n, [None, pa.py_buffer(offsets), pa.py_buffer(chunk)]
    )
    lineno = np.arange(line_base + 1, line_base + n + 1)
    try:
        text = lines.cast(pa.large_string())
    except pa.ArrowInvalid:
        lines, lineno = _reject_undecodable(lines, lineno, path, account)
        text = lines.cast(pa.large_string())
    # Blank and comment lines are not records.
    length = pc.binary_length(pc.utf8_rtrim(text, characters="\r\n"))
    record = pc.and_(pc.greater(length, 0), pc.invert(pc.starts_with(text, "#")))
    text, lineno = text.filter(record), lineno[record.to_numpy(zero_copy_only=False)]
    account.records += len(text)
    parts = pc.split_pattern(text, "\t")
    width = pc.list_value_length(parts).to_numpy()
    bad = width != len(DUMP_COLUMNS)
    if bad.any():
        for line, got in zip(lineno[bad].tolist(), width[bad].tolist(), strict=True):
            account.rejected.append(
                Rejection(
                    line,
                    None,
                    f"expected {len(DUMP_COLUMNS)} tab-separated GeoNames columns, got {got}",
                )
            )
        parts, lineno = parts.filter(pa.array(~bad)), lineno[~bad]
    fclass = pc.list_element(parts, _FCLASS)
    fcode = pc.list_element(parts, _FCODE)
    keep = np.ones(len(parts), dtype=bool)
    if wanted is not None:
        in_country = pc.is_in(pc.list_element(parts, _CC), value_set=pa.array(sorted(wanted)))
        in_country = in_country.to_numpy(zero_copy_only=False)
        _count(account, "outside --country", int((~in_country).sum()))
        keep &= in_country
    useful = pc.or_(
        pc.is_in(fclass, value_set=pa.array(KEPT_CLASSES)),
        pc.is_in(fcode, value_set=pa.array(sorted(KEPT_FEATURES))),
    ).to_numpy(zero_copy_only=False)
    dropped = keep & ~useful
    if dropped.any():
        counts = pc.value_counts(fclass.filter(pa.array(dropped)))
        for item in counts.to_pylist():
            cls = item["values"] or "?"
            what = FEATURE_CLASSES.get(cls, "unknown feature class")
            other = "other " if cls in ("S", "L", "H", "T") else ""
            _count(account, f"class {cls} ({other}{what})", int(item["counts"]))
    keep &= useful
    if not keep.any():
        return line_base + n
    kept = parts.filter(pa.array(keep))
    columns = [pc.list_element(kept, i).to_pylist() for i in _USED]
    source = account.source
    aliases_of = functools.partial(useful_aliases, all_scripts=all_scripts)
    for line, values in zip(lineno[keep].tolist(), zip(*columns, strict=True), strict=True):
        try:
            row = _dump_place(values, path=path, line=line, source=source, aliases_of=aliases_of)
        except InputError as err:
            account.rejected.append(Rejection(line, err.column, err.reason, values[0]))
            continue
        admin.note(row, values[_FCODE])
        rows.append(row)
    return line_base + n


def _count(account: GeoNamesImport, reason: str, n: int) -> None:
    if n:
        account.skipped[reason] = account.skipped.get(reason, 0) + n


def _reject_undecodable(lines: Any, lineno: Any, path: object, account: GeoNamesImport) -> Any:
    """Reject the lines of a chunk that are not UTF-8, naming the first bad column."""
    import numpy as np
    import pyarrow as pa

    good = np.ones(len(lines), dtype=bool)
    for i, raw in enumerate(lines.to_pylist()):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            good[i] = False
            fields = raw.split(b"\t")
            column = None
            for j, value in enumerate(fields[: len(DUMP_COLUMNS)]):
                try:
                    value.decode("utf-8")
                except UnicodeDecodeError:
                    column = DUMP_COLUMNS[j]
                    break
            gid = fields[0].decode("utf-8", errors="replace")
            account.records += 1
            account.rejected.append(
                Rejection(
                    int(lineno[i]),
                    column,
                    "expected UTF-8 text, got undecodable bytes",
                    gid if gid.isdigit() else "",
                )
            )
    return lines.filter(pa.array(good)), lineno[good]


def import_geonames(
    path: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    countries: Sequence[str] | None = None,
    admin1_codes: str | os.PathLike[str] | None = None,
    admin2_codes: str | os.PathLike[str] | None = None,
    all_scripts: bool = False,
    progress: bool | None = None,
) -> GeoNamesImport:
    """Import a GeoNames dump into a gazetteer CSV that ``--gazetteer`` accepts.

    Reads like :func:`read_geonames_places` (same options) and writes with
    :func:`mapper.gazetteer.write.write_gazetteer_csv`: name, aliases, kind, precision,
    district, province, country, coordinates, population, geonameid and the
    source ``"GeoNames dump PK.txt"`` (GeoNames, CC BY 4.0). The same dump,
    zipped or not, gives the same bytes.

    Returns
    -------
    GeoNamesImport
        The account of every record read.
    """
    rows, account = read_geonames_places(
        path,
        countries=countries,
        admin1_codes=admin1_codes,
        admin2_codes=admin2_codes,
        all_scripts=all_scripts,
        progress=progress,
    )
    if not rows:
        first = account.rejected[0] if account.rejected else None
        if first is not None:  # every record refused: say why, where the first one was
            where = f"column {first.column!r}: " if first.column else ""
            raise InputError(
                f"no places kept: {account.summary()}; the first rejected, {where}{first.reason}",
                path=path,
                line=first.line,
            )
        raise InputError(f"no places kept: {account.summary()}", path=path)
    write_gazetteer_csv(rows, output)
    return account
