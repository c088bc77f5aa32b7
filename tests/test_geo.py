"""The one great-circle distance every module uses."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from mapper.geo import EARTH_RADIUS_KM, haversine_km


def test_a_degree_along_a_meridian_is_a_360th_of_the_circumference():
    assert haversine_km(30.0, 66.0, 31.0, 66.0) == pytest.approx(
        2 * math.pi * EARTH_RADIUS_KM / 360
    )


def test_a_degree_of_longitude_shrinks_with_the_cosine_of_latitude_near_the_equator_and_60n():
    assert haversine_km(0.0, 10.0, 0.0, 11.0) == pytest.approx(111.195, abs=0.001)
    assert haversine_km(60.0, 10.0, 60.0, 11.0) == pytest.approx(55.6, abs=0.1)


def test_arrays_and_series_broadcast_and_missing_points_stay_missing():
    lat = pd.Series([30.0, np.nan, 25.0])
    out = haversine_km(lat, 66.0, lat + 1, 66.0)
    assert list(out.index) == [0, 1, 2]
    assert np.isnan(out[1]) and out[0] == pytest.approx(out[2])
    assert haversine_km(np.array([10.0, 20.0]), 0.0, 10.0, 0.0).tolist() == [
        0.0,
        pytest.approx(1111.95, abs=0.01),
    ]


def test_antipodes_are_half_the_circumference_apart():
    assert haversine_km(10.0, 20.0, -10.0, -160.0) == pytest.approx(math.pi * EARTH_RADIUS_KM)
