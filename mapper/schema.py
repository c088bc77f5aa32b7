"""The data model: incident, claim and context tables, their vocabularies, and :class:`Dataset`.

Everything that reads, validates, imports, exports or draws data agrees on the
names defined here. CSV on disk, pandas/geopandas in memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

# --- incidents ---------------------------------------------------------------

#: Columns of ``incidents.csv`` in their canonical order.
INCIDENT_COLUMNS: tuple[str, ...] = (
    "incident_id",
    "date",
    "date_end",
    "date_precision",
    "place",
    "latitude",
    "longitude",
    "location_precision",
    "district",
    "province",
    "country",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "operation",
    "description",
    "sources",
    "status",
)
INCIDENT_REQUIRED: tuple[str, ...] = ("incident_id", "date", "event_type")

DATE_PRECISIONS: tuple[str, ...] = ("day", "week", "month", "year")
#: Most to least precise. ``near`` is within a few km of a named place.
LOCATION_PRECISIONS: tuple[str, ...] = ("exact", "near", "district", "province", "country")
#: How sure anyone is that the incident happened as described.
STATUSES: tuple[str, ...] = ("confirmed", "reported", "unverified", "disputed")

#: ACLED's event taxonomy (codebook 2023+): 6 event types, 25 sub-event types.
ACLED_TAXONOMY: dict[str, tuple[str, ...]] = {
    "Battles": (
        "Armed clash",
        "Government regains territory",
        "Non-state actor overtakes territory",
    ),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": (
        "Sexual violence",
        "Attack",
        "Abduction/forced disappearance",
    ),
    "Protests": (
        "Peaceful protest",
        "Protest with intervention",
        "Excessive force against protesters",
    ),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}
EVENT_TYPES: tuple[str, ...] = tuple(ACLED_TAXONOMY)
SUB_EVENT_TYPES: tuple[str, ...] = tuple(s for subs in ACLED_TAXONOMY.values() for s in subs)

#: Columns the reader adds to every incident it keeps.
PLACEMENT_COLUMNS: tuple[str, ...] = (
    "placement",  # "placed" or "unplaced"
    "placement_reason",  # why unplaced (empty when placed)
    "location_source",  # "coordinates given" or the gazetteer source of the match
    "matched_name",  # the gazetteer name the place resolved to
    "match_type",  # exact, alias, fuzzy (empty when coordinates were given)
    "match_score",
)

# --- claims ------------------------------------------------------------------

#: Columns of ``claims.csv`` in their canonical order. A claim is about one
#: incident (``incident_id``) or one whole operation (``operation``).
CLAIM_COLUMNS: tuple[str, ...] = (
    "claim_id",
    "incident_id",
    "operation",
    "claimant",
    "claimant_side",
    "claimed_on",
    "subject",
    "outcome",
    "low",
    "high",
    "quote",
    "source",
    # The claim_id of the claim (same claimant, same incident) this figure is a
    # part of: a group's dead within the table's total. Empty for most claims.
    # A whole and its parts are never added together.
    "part_of",
)
CLAIM_REQUIRED: tuple[str, ...] = ("claim_id", "claimant", "subject", "outcome", "low", "source")

CLAIMANT_SIDES: tuple[str, ...] = ("state", "armed group", "independent", "media", "dataset")
SUBJECTS: tuple[str, ...] = (
    "militants",
    "security forces",
    "civilians",
    "hostages",
    "unspecified",
    "cities",
    "sites",
)
OUTCOMES: tuple[str, ...] = ("killed", "injured", "captured", "abducted", "arrested", "attacked")

# --- context tables (optional files in a dataset directory) -----------------

#: ``operations.csv``: named campaigns that group incidents.
OPERATION_COLUMNS: tuple[str, ...] = (
    "operation",
    "name",
    "actor",
    "date",
    "date_end",
    "description",
    "sources",
)
#: ``sites.csv``: fixed places that give context (mines, ports, bases).
SITE_COLUMNS: tuple[str, ...] = (
    "site_id",
    "name",
    "kind",
    "place",
    "latitude",
    "longitude",
    "location_precision",
    "description",
    "sources",
)
#: ``indicators.csv``: area-level figures quoted by the sources (poverty, literacy...).
INDICATOR_COLUMNS: tuple[str, ...] = (
    "indicator_id",
    "area",
    "indicator",
    "value",
    "low",
    "high",
    "unit",
    "as_of",
    "source",
    "note",
)

# --- files of a dataset directory -------------------------------------------

INCIDENTS_FILE = "incidents.csv"
CLAIMS_FILE = "claims.csv"
OPERATIONS_FILE = "operations.csv"
SITES_FILE = "sites.csv"
INDICATORS_FILE = "indicators.csv"
#: Optional JSON object: {"name": str, "description": str, "attribution": [str, ...]}.
METADATA_FILE = "dataset.json"
#: The dataset commands use when given none, under :func:`mapper.resources.data_dir`.
BUNDLED_DATASET = "balochistan-2026"

# --- the row-by-row account of a read --------------------------------------

#: Every input row ends in one of these states.
ROW_STATES: tuple[str, ...] = ("placed", "unplaced", "rejected")
REPORT_COLUMNS: tuple[str, ...] = ("file", "line", "table", "record_id", "status", "reason")


def row_counts(report: pd.DataFrame) -> dict[str, int]:
    """Return how many rows of a read report ended in each of :data:`ROW_STATES`."""
    vc = report["status"].value_counts()
    return {state: int(vc.get(state, 0)) for state in ROW_STATES}


#: Credit line required wherever GeoNames coordinates are shown or shipped.
GEONAMES_ATTRIBUTION = "Place coordinates: GeoNames (geonames.org), CC BY 4.0"


@dataclass
class Dataset:
    """A read dataset: incidents, the claims about them, context, and the account of every row.

    Attributes
    ----------
    incidents : geopandas.GeoDataFrame
        Every kept incident (placed and unplaced), columns :data:`INCIDENT_COLUMNS`
        then :data:`PLACEMENT_COLUMNS`, point geometry in EPSG:4326 (missing
        when unplaced). ``date`` and ``date_end`` are ``datetime64``. A plain
        DataFrame, without the geometry, when read with ``geometry=False``.
    claims : pandas.DataFrame
        Columns :data:`CLAIM_COLUMNS`; ``low``/``high`` nullable integers.
    report : pandas.DataFrame
        Columns :data:`REPORT_COLUMNS`, one row per input row of every file read.
    operations, sites, indicators : DataFrame
        Context tables (possibly empty); ``sites`` is a GeoDataFrame (unless
        read with ``geometry=False``).
    name : str
        A short title for the dataset.
    attribution : list of str
        Credit lines for every data source used (shown on maps).
    """

    incidents: gpd.GeoDataFrame
    claims: pd.DataFrame
    report: pd.DataFrame
    operations: pd.DataFrame
    sites: gpd.GeoDataFrame
    indicators: pd.DataFrame
    name: str = "dataset"
    attribution: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Return how many input rows ended placed, unplaced and rejected."""
        return row_counts(self.report)
