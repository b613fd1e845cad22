"""Forecast figures: the histogram's mass comes from the recorded percentiles."""

from __future__ import annotations

import pytest

from service.web.charts import histogram


def curve(days: list[float]) -> dict[str, object]:
    points = [
        {"probability": k / 100, "day": day, "date": None} for k, day in enumerate(days)
    ]
    return {
        "s_curve": points,
        "duration": {"p50": days[50], "p80": days[80], "p95": days[95]},
        "deadline": None,
    }


def test_an_even_spread_fills_each_day_alike() -> None:
    figure = histogram(curve([10 + k / 10 for k in range(101)]))
    shares = figure["data"][0]["y"]
    assert len(shares) == 10
    assert shares == pytest.approx([0.1] * 10)


def test_a_sure_finish_is_one_bar() -> None:
    shares = histogram(curve([42.0] * 101))["data"][0]["y"]
    assert shares == pytest.approx([1.0])
