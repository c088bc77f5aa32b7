"""Distances on the Earth's surface, for every module that compares points."""

from __future__ import annotations

from typing import Any

#: Mean Earth radius (IUGG), in km.
EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> Any:
    """Return the great-circle distance in km between points given in decimal degrees.

    Takes scalars, arrays or Series (numpy broadcasting); NaN in, NaN out.

    Examples
    --------
    >>> round(float(haversine_km(30.18414, 67.00141, 26.00122, 63.04849)), 1)  # Quetta-Turbat
    605.4
    """
    import numpy as np

    p1, p2 = np.radians(lat1), np.radians(lat2)
    dl = np.radians(lon2) - np.radians(lon1)
    h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
