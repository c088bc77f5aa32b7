"""Per-table checks: the cell checks each table (incidents, claims, operations...) runs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mapper.schema import (
    ACLED_TAXONOMY,
    CLAIM_COLUMNS,
    CLAIM_REQUIRED,
    CLAIMANT_SIDES,
    CLAIMS_FILE,
    EVENT_TYPES,
    INCIDENT_COLUMNS,
    INCIDENT_REQUIRED,
    INCIDENTS_FILE,
    INDICATOR_COLUMNS,
    LOCATION_PRECISIONS,
    OPERATION_COLUMNS,
    OPERATIONS_FILE,
    OUTCOMES,
    SITE_COLUMNS,
    STATUSES,
    SUB_EVENT_TYPES,
    SUBJECTS,
)
from mapper.tables.cells import (
    Checks,
    check_coordinates,
    check_counts,
    check_references,
    check_required,
    check_unique,
    check_unknown_columns,
    check_vocabulary,
    column_of,
    map_dict,
    only,
)
from mapper.tables.dates import check_date_precision, check_date_span, check_dates
from mapper.tables.read import Table

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Checked",
    "check_claims",
    "check_incidents",
    "check_indicators",
    "check_operations",
    "check_sites",
]


@dataclass
class Checked:
    """A checked table: its problems, which rows are rejected, and the clean values."""

    checks: Checks
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def table(self) -> Table:
        """The table checked."""
        return self.checks.table


def _start(table: Table, columns: Sequence[str], required: Sequence[str]) -> Checks:
    """Begin a table's checks with what every table checks: its columns and required cells."""
    checks = Checks(table)
    check_unknown_columns(checks, columns)
    check_required(checks, required)
    return checks


def check_incidents(table: Table, *, known_operations: pd.Series | None) -> Checked:
    """Check an incidents table; ``known_operations`` lists the operations it may name."""
    checks = _start(table, INCIDENT_COLUMNS, INCIDENT_REQUIRED)
    if len(table.frame) == 0 and not table.rejected:
        checks.header("no incidents: the file has a header but no rows")
    check_unique(checks, "incident_id", what="incident_id")

    date, date_form = check_dates(checks, "date")
    date_end, end_form = check_dates(checks, "date_end")
    precision = check_date_precision(checks, date_form)
    check_date_span(checks, date, date_end, end_form)

    lat, lon = check_coordinates(checks)
    loc_prec = check_vocabulary(
        checks, "location_precision", LOCATION_PRECISIONS, what="location precision"
    )
    status = check_vocabulary(checks, "status", STATUSES, what="status")
    event_type, sub = _check_event_types(checks)
    _check_somewhere(
        checks,
        named=("place", "district", "province", "country"),
        message="no place and no coordinates; expected a place name (or a district, province or "
        "country) or latitude and longitude",
    )
    if known_operations is not None:
        check_references(
            checks, "operation", known_operations, f"not an operation listed in {OPERATIONS_FILE}"
        )
    return Checked(
        checks,
        dict(
            date=date,
            date_end=date_end,
            date_precision=precision,
            latitude=lat,
            longitude=lon,
            location_precision=loc_prec,
            status=status,
            event_type=event_type,
            sub_event_type=sub,
        ),
    )


def _check_event_types(checks: Checks) -> tuple[pd.Series, pd.Series]:
    """Check ACLED's event type and sub-event type, and that the one belongs to the other."""
    event_type = check_vocabulary(checks, "event_type", EVENT_TYPES, what="ACLED event type")
    sub = check_vocabulary(checks, "sub_event_type", SUB_EVENT_TYPES, what="ACLED sub-event type")
    owner = {s: t for t, subs in ACLED_TAXONOMY.items() for s in subs}
    sub_owner = map_dict(sub, owner).fillna("")
    mismatch = (sub_owner != "") & event_type.isin(list(EVENT_TYPES)) & (sub_owner != event_type)
    checks.flag(
        mismatch,
        "sub_event_type",
        only(mismatch, sub_owner, lambda t: f"belongs to event type {t!r}, not the one given"),
        suggestion=None,
    )
    return event_type, sub


def _check_somewhere(checks: Checks, *, named: Sequence[str], message: str) -> None:
    """Flag rows with none of the ``named`` columns and no coordinates: they cannot be placed."""
    import pandas as pd

    frame = checks.table.frame
    has_name = pd.Series(False, index=frame.index)
    for col in named:
        has_name |= column_of(frame, col) != ""
    coords = (column_of(frame, "latitude") != "") | (column_of(frame, "longitude") != "")
    checks.flag(
        ~has_name & ~coords,
        "place",
        message,
        value=pd.Series([""] * len(frame), index=frame.index),
    )


def check_claims(table: Table, *, incident_ids: pd.Series, operations: set[str]) -> Checked:
    """Check a claims table against the incident ids and operations it may be about."""
    checks = _start(table, CLAIM_COLUMNS, CLAIM_REQUIRED)
    check_unique(checks, "claim_id", what="claim_id")
    frame = table.frame
    incident = column_of(frame, "incident_id")
    operation = column_of(frame, "operation")
    checks.flag(
        (incident == "") & (operation == ""),
        "incident_id",
        "no target; expected an incident_id or an operation the figure is about",
    )
    check_references(checks, "incident_id", incident_ids, f"not an incident_id in {INCIDENTS_FILE}")
    check_references(
        checks,
        "operation",
        operations,
        f"not an operation named in {OPERATIONS_FILE} or {INCIDENTS_FILE}",
    )
    # A part names its whole: a claim in this same file (never added to it on a map).
    check_references(
        checks, "part_of", column_of(frame, "claim_id"), f"not a claim_id in {CLAIMS_FILE}"
    )
    part_of = column_of(frame, "part_of")
    checks.flag(
        (part_of != "") & (part_of == column_of(frame, "claim_id")),
        "part_of",
        "names the claim itself; expected the claim_id of the whole it is part of",
    )
    side = check_vocabulary(checks, "claimant_side", CLAIMANT_SIDES, what="claimant side")
    subject = check_vocabulary(checks, "subject", SUBJECTS, what="subject")
    outcome = check_vocabulary(checks, "outcome", OUTCOMES, what="outcome")
    check_dates(checks, "claimed_on")
    low = check_counts(checks, "low")
    high = check_counts(checks, "high")
    reversed_ = (low.notna() & high.notna() & (low > high)).fillna(False).astype(bool)
    checks.flag(
        reversed_,
        "high",
        only(reversed_, low, lambda v: f"smaller than low ({v}); expected high >= low"),
    )
    values = dict(claimant_side=side, subject=subject, outcome=outcome, low=low, high=high)
    return Checked(checks, values)


def check_operations(table: Table) -> Checked:
    """Check an operations table (named campaigns that group incidents)."""
    checks = _start(table, OPERATION_COLUMNS, ("operation",))
    check_unique(checks, "operation", what="operation")
    date, _ = check_dates(checks, "date")
    date_end, end_form = check_dates(checks, "date_end")
    check_date_span(checks, date, date_end, end_form, name_start=False)
    return Checked(checks)


def check_sites(table: Table) -> Checked:
    """Check a sites table (fixed places shown for context)."""
    checks = _start(table, SITE_COLUMNS, ("site_id", "name"))
    check_unique(checks, "site_id", what="site_id")
    lat, lon = check_coordinates(checks)
    loc_prec = check_vocabulary(
        checks, "location_precision", LOCATION_PRECISIONS, what="location precision"
    )
    _check_somewhere(checks, named=("place", "name"), message="no place and no coordinates")
    return Checked(checks, dict(latitude=lat, longitude=lon, location_precision=loc_prec))


def check_indicators(table: Table) -> Checked:
    """Check an indicators table (figures about an area)."""
    import pandas as pd

    checks = _start(table, INDICATOR_COLUMNS, ("indicator_id", "area", "indicator", "source"))
    check_unique(checks, "indicator_id", what="indicator_id")
    frame = table.frame
    for col in ("value", "low", "high"):
        raw = column_of(frame, col)
        num = pd.to_numeric(raw.where(raw != ""), errors="coerce")
        checks.flag(
            (raw != "") & num.isna(),
            col,
            "not a number; expected a figure (the unit goes in 'unit')",
        )
    check_dates(checks, "as_of")
    return Checked(checks)
