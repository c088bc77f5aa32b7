"""Other tables' kinds of attack as ACLED's event types and sub-event types, by a documented table.

:data:`GTD_ATTACK_TYPES` maps the Global Terrorism Database's ``attacktype1_txt``
(refined by ``suicide`` and by the target type); :data:`KEYWORDS` maps the
words people write in a ``type`` column of their own tables. Names that are
already ACLED event or sub-event types are taken as they are.

================================= ======================================================
GTD attack type                   ACLED event type / sub-event type
================================= ======================================================
Bombing/Explosion, suicide = 1    Explosions/Remote violence / Suicide bomb
Bombing/Explosion                 Explosions/Remote violence / Remote explosive/landmine/IED
Armed Assault on military, police Battles / Armed clash
Armed Assault (other targets)     Violence against civilians / Attack
Assassination, Unarmed Assault    Violence against civilians / Attack
Hostage Taking (either), Hijacking Violence against civilians / Abduction/forced disappearance
Facility/Infrastructure Attack    Strategic developments / Looting/property destruction
Unknown                           Strategic developments / Other
================================= ======================================================
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from mapper.schema import ACLED_TAXONOMY

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["GTD_ATTACK_TYPES", "KEYWORDS", "UNKNOWN_TYPE", "event_types", "gtd_event_types"]

_EXPLOSION = "Explosions/Remote violence"
_VAC = "Violence against civilians"
UNKNOWN_TYPE = ("Strategic developments", "Other")

GTD_ATTACK_TYPES: dict[str, tuple[str, str]] = {
    "bombing/explosion": (_EXPLOSION, "Remote explosive/landmine/IED"),
    "armed assault": (_VAC, "Attack"),
    "assassination": (_VAC, "Attack"),
    "unarmed assault": (_VAC, "Attack"),
    "hostage taking (kidnapping)": (_VAC, "Abduction/forced disappearance"),
    "hostage taking (barricade incident)": (_VAC, "Abduction/forced disappearance"),
    "hijacking": (_VAC, "Abduction/forced disappearance"),
    "facility/infrastructure attack": ("Strategic developments", "Looting/property destruction"),
    "unknown": UNKNOWN_TYPE,
}
#: GTD target types whose armed assault is a clash between armed sides.
GTD_ARMED_TARGETS = ("military", "police")

#: Words in a user's ``type`` column -> (event type, sub-event type); first match wins.
KEYWORDS: tuple[tuple[str, tuple[str, str]], ...] = (
    ("suicide", (_EXPLOSION, "Suicide bomb")),
    ("drone", (_EXPLOSION, "Air/drone strike")),
    ("air ?strike", (_EXPLOSION, "Air/drone strike")),
    ("grenade", (_EXPLOSION, "Grenade")),
    ("shell|rocket|mortar|artillery|missile", (_EXPLOSION, "Shelling/artillery/missile attack")),
    ("ied|bomb|explos|blast|landmine", (_EXPLOSION, "Remote explosive/landmine/IED")),
    ("kidnap|abduct|hostage|hijack", (_VAC, "Abduction/forced disappearance")),
    ("clash|gunfight|firefight|ambush|battle|armed assault", ("Battles", "Armed clash")),
    ("assassinat|shooting|attack|killing|murder", (_VAC, "Attack")),
)
_OWNER = {s.casefold(): (t, s) for t, subs in ACLED_TAXONOMY.items() for s in subs}
_TYPES = {t.casefold(): (t, "") for t in ACLED_TAXONOMY}


def _one(value: str) -> tuple[str, str] | None:
    key = re.sub(r"\s+", " ", value).strip().casefold()
    if key in _OWNER:
        return _OWNER[key]
    if key in _TYPES:
        return _TYPES[key]
    for pattern, types in KEYWORDS:
        if re.search(pattern, key):
            return types
    return None


def event_types(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Map a user's type column to ACLED types, once per distinct value.

    Returns
    -------
    event_type, sub_event_type : Series of str
        ``""`` where the value is empty or not recognised.
    recognised : Series of bool
        Whether a non-empty value was recognised.
    """
    import pandas as pd

    codes, uniques = pd.factorize(values.astype(str))
    read = [_one(str(u)) for u in uniques]
    types = [r[0] if r else "" for r in read] + [""]
    subs = [r[1] if r else "" for r in read] + [""]
    known = [r is not None for r in read] + [False]

    def take(items: list, dtype: type) -> pd.Series:
        return pd.Series(items, dtype=dtype).take(codes).set_axis(values.index)

    return take(types, str), take(subs, str), take(known, bool)


def gtd_event_types(
    attack: pd.Series, suicide: pd.Series, target: pd.Series
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Map GTD's attack type (with ``suicide`` and the target type) to ACLED types.

    Returns
    -------
    event_type, sub_event_type : Series of str
        Unknown attack types give ``Strategic developments`` / ``Other``.
    known : Series of bool
        Whether the attack type was in :data:`GTD_ATTACK_TYPES`.
    """
    key = attack.astype(str).str.strip().str.casefold()
    known = key.isin(list(GTD_ATTACK_TYPES))
    etype = key.map({k: t for k, (t, _) in GTD_ATTACK_TYPES.items()}).fillna(UNKNOWN_TYPE[0])
    sub = key.map({k: s for k, (_, s) in GTD_ATTACK_TYPES.items()}).fillna(UNKNOWN_TYPE[1])
    etype, sub = etype.astype(str), sub.astype(str)
    bomb = key == "bombing/explosion"
    is_suicide = suicide.astype(str).str.replace(r"\.0+$", "", regex=True) == "1"
    sub[bomb & is_suicide] = "Suicide bomb"
    armed = (key == "armed assault") & target.astype(str).str.strip().str.casefold().isin(
        list(GTD_ARMED_TARGETS)
    )
    etype[armed] = "Battles"
    sub[armed] = "Armed clash"
    return etype, sub, known
