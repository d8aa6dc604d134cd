"""The Kaplan–Meier curve from counts, checked by hand and against lifelines."""

import math
import random
from collections import Counter

import pytest
from lifelines import KaplanMeierFitter  # type: ignore[import-untyped]

from sia.followup.survival import CountRow, kaplan_meier, median_time, survival_at


def test_small_example_by_hand() -> None:
    # Five people: events at 2, 4, 4 days; censored at 3 and 4 days (ties: the events
    # at 4 come before the censoring at 4).
    #   t=2: at risk 5, 1 event  -> S = 4/5           = 0.8
    #   t=3: censored, at risk falls to 3
    #   t=4: at risk 3, 2 events -> S = 0.8 * 1/3     = 0.2666…
    # Median: the first t with S <= 0.5 is 4.
    rows = [(2, 1, 0), (3, 0, 1), (4, 1, 0), (4, 1, 1)]
    curve = kaplan_meier(rows)
    assert [(p.t, p.at_risk, p.events, p.censored) for p in curve] == [
        (2, 5, 1, 0),
        (4, 3, 2, 1),
    ]
    assert curve[0].survival == pytest.approx(0.8)
    assert curve[1].survival == pytest.approx(0.8 / 3)
    assert survival_at(curve, 0) == 1.0
    assert survival_at(curve, 1.9) == 1.0
    assert survival_at(curve, 3) == pytest.approx(0.8)
    assert survival_at(curve, 100) == pytest.approx(0.8 / 3)
    assert median_time(curve) == 4.0


def test_median_not_reached_and_exact_half() -> None:
    # Four people, one event at 1 day, three censored at 5: S = 3/4, never <= 0.5.
    assert median_time(kaplan_meier([CountRow(1, 1, 0), CountRow(5, 0, 3)])) is None
    # Four people, two events at 3 days: S = 2/4 = 0.5 exactly, so the median is 3.
    assert median_time(kaplan_meier([(3, 2, 0), (7, 1, 1)])) == 3.0
    # Nobody at all: no curve, survival one, no median.
    assert kaplan_meier([]) == []
    assert survival_at([], 10) == 1.0
    assert median_time([]) is None


def test_events_at_day_zero() -> None:
    # Two of four reach the event on the first day (duration 0): S(0) = 2/4.
    curve = kaplan_meier([(0, 2, 0), (10, 0, 2)])
    assert survival_at(curve, 0) == 0.5
    assert median_time(curve) == 0.0


def _generated(seed: int) -> tuple[list[int], list[int]]:
    """500 people, durations 0..200 days (many ties), about 40 % censored."""
    rng = random.Random(seed)  # noqa: S311 (test data, not secrets)
    durations = [rng.randint(0, 200) for _ in range(500)]
    observed = [0 if rng.random() < 0.4 else 1 for _ in range(500)]
    return durations, observed


@pytest.mark.parametrize("seed", [1, 2, 3, 17, 2025])
def test_matches_lifelines(seed: int) -> None:
    durations, observed = _generated(seed)
    # Aggregate to counts the way the database does, several rows per time.
    counts = Counter(zip(durations, observed, strict=True))
    rows = [(days, n if event else 0, 0 if event else n) for (days, event), n in counts.items()]
    curve = kaplan_meier(rows)

    fitter = KaplanMeierFitter().fit(durations, event_observed=observed)
    expected = fitter.survival_function_["KM_estimate"]
    table = fitter.event_table

    event_times = sorted({d for d, e in zip(durations, observed, strict=True) if e})
    assert [p.t for p in curve] == event_times
    for point in curve:
        assert point.survival == pytest.approx(float(expected.loc[point.t]), abs=1e-9)
        assert point.at_risk == int(table.loc[point.t, "at_risk"])
        assert point.events == int(table.loc[point.t, "observed"])
        assert point.censored == int(table.loc[point.t, "censored"])
    # Between and after event times the step function holds its value.
    for t in range(0, 210):
        assert survival_at(curve, t) == pytest.approx(
            float(fitter.survival_function_at_times(t).iloc[0]), abs=1e-9
        )
    lifelines_median = float(fitter.median_survival_time_)
    mine = median_time(curve)
    assert (mine if mine is not None else math.inf) == lifelines_median


def test_matches_lifelines_when_median_not_reached() -> None:
    # Mostly censored, and no events after 200 days (when few are left at risk): the
    # curve stays above one half.
    rng = random.Random(7)  # noqa: S311 (test data, not secrets)
    durations = [rng.randint(0, 300) for _ in range(500)]
    observed = [1 if rng.random() < 0.15 and d < 200 else 0 for d in durations]
    counts = Counter(zip(durations, observed, strict=True))
    rows = [(days, n if event else 0, 0 if event else n) for (days, event), n in counts.items()]
    fitter = KaplanMeierFitter().fit(durations, event_observed=observed)
    assert math.isinf(fitter.median_survival_time_)
    assert median_time(kaplan_meier(rows)) is None
