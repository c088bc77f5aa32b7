"""Build the map of a dataset and save it as one self-contained HTML file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from mapper.errors import UsageError
from mapper.files import atomic_write
from mapper.render.elements import IncidentData, IncidentLayers, OfflineAssets, OfflineMap
from mapper.render.geography import GeographyData, geography_payload, tile_choice
from mapper.render.payload import payload_arrays

if TYPE_CHECKING:
    import folium

    from mapper.areas import Areas
    from mapper.schema import Dataset

#: Where the map is centred before the page fits it to the incidents.
_DEFAULT_CENTRE = (28.5, 65.5)


def _tile_layer(tiles: str | None) -> object | None:
    """Return folium's ``tiles`` argument for a provider name, or None for no tiles."""
    if tiles is None or str(tiles).strip().lower() in {"", "none"}:
        return None
    import folium

    try:
        return folium.TileLayer(tiles=tiles)
    except (ValueError, KeyError) as err:
        raise UsageError(
            f"--tiles should be a tile provider name such as 'OpenStreetMap' or "
            f"'CartoDB Positron', or 'none', got {tiles!r}"
        ) from err


def _fix_ids(root: object) -> None:
    """Replace branca's random element ids by ids from the element's place in the tree."""
    counter = 0
    stack = [root]
    while stack:
        element = stack.pop(0)
        counter += 1
        element._id = f"m{counter}"  # type: ignore[attr-defined]
        for section in ("header", "html", "script"):
            child = getattr(element, section, None)
            if child is not None and hasattr(child, "_children"):
                stack.append(child)
        stack.extend(getattr(element, "_children", {}).values())


def build_map(
    dataset: Dataset,
    *,
    since: object = None,
    until: object = None,
    title: str | None = None,
    tiles: str | None = "OpenStreetMap",
    areas: Areas | None = None,
) -> folium.Map:
    """Return the layered, time-filtered map of ``dataset`` as a folium map.

    The page inlines everything it needs, its geography too (land and sea,
    borders, outlines, place names: :mod:`mapper.render.geography`), so it
    works with the network off; tiles are a background the reader may choose
    on top. In Jupyter the map displays inline; :func:`save_map` writes it to
    a file.

    Parameters
    ----------
    dataset : mapper.schema.Dataset
        The incidents, claims and context to draw.
    since, until : str or date, optional
        Keep only incidents whose dates overlap this window (ISO dates,
        inclusive). The reader can narrow the window further in the page.
    title : str, optional
        Title shown on the map; defaults to ``dataset.name``.
    tiles : str or None
        A tile provider name known to folium/xyzservices, offered as a
        background the reader may switch on (the page loads no tile before
        that), or None / "none" for no such choice and no network use at all.
    areas : mapper.areas.Areas, optional
        The outlines to draw and shade (default: the bundled ones); e.g.
        ``Areas.bundled().with_files(...)`` to draw your own districts too.

    Returns
    -------
    folium.Map
        The map; the same input always renders to the same bytes.

    Raises
    ------
    UsageError
        For a bad date, a window that ends before it starts, or an unknown
        tile provider.
    """
    payload = payload_arrays(dataset, since=since, until=until, title=title)
    layer = _tile_layer(tiles)
    m = OfflineMap(
        location=list(_DEFAULT_CENTRE),
        zoom_start=6,
        tiles=None,
        prefer_canvas=True,
        control_scale=False,
    )
    # Tiles are a background the reader may choose; the page asks for none until then.
    geography = geography_payload(payload, tiles=tile_choice(layer, str(tiles)), areas=areas)
    GeographyData(geography).add_to(m)
    OfflineAssets(title=payload["title"]).add_to(m)
    IncidentData(payload).add_to(m)
    IncidentLayers().add_to(m)
    _fix_ids(m.get_root())
    # What the page draws, for callers that report counts (the CLI) or inspect it.
    m.mapper_payload = payload
    return m


def save_map(m: folium.Map, path: str | os.PathLike[str]) -> Path:
    """Write ``m`` as one HTML file, atomically; return the path written.

    An existing file at ``path`` is replaced only once the new page is
    completely written.
    """
    html = m.get_root().render()
    target = Path(path)
    with atomic_write(target, "w", encoding="utf-8") as fh:
        fh.write(html)
        # A map is for sharing: readable like any new file, not private as a temp file.
        os.chmod(fh.name, 0o666 & ~_umask())
    return target


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
