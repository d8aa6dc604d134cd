"""The rules every figure obeys: hidden and rounded counts, shares that would give a
count away, complementary suppression, quantiles from histograms and day counts in the
database."""

import datetime as dt
import random

import numpy as np
import pytest
from django.db.models import F
from pytest_django.fixtures import Settings

from sia.cases.models import Case
from sia.followup.figures import (
    SUPPRESSED,
    DaysBetween,
    coarse_share,
    count_value,
    format_value,
    protect_group,
    quantile,
    share_value,
)


@pytest.mark.parametrize(
    ("n", "shown"),
    [(0, 0), (1, SUPPRESSED), (4, SUPPRESSED), (5, 5), (7, 5), (8, 10), (12, 10), (13, 15)],
)
def test_suppressed_counts_are_hidden_under_five_and_rounded_to_fives(
    n: int, shown: object
) -> None:
    assert count_value(n, 5) == shown


def test_unsuppressed_counts_are_exact() -> None:
    assert [count_value(n, None) for n in (0, 1, 4, 7)] == [0, 1, 4, 7]


def test_rounding_can_be_turned_off(settings: Settings) -> None:
    settings.SIA_ROUND_COUNTS_TO = 1
    assert [count_value(n, 5) for n in (3, 7, 8)] == [SUPPRESSED, 7, 8]


@pytest.mark.parametrize(
    ("part", "whole", "shown"),
    [
        (0, 0, None),  # nothing to compute
        (2, 4, SUPPRESSED),  # too few in all
        (0, 10, 0.0),  # nobody: shown
        (10, 10, 1.0),  # everybody: shown
        (5, 10, 0.5),
        (5, 13, 5 / 15),  # of the rounded counts: 5/13 would say 13 beside a shown 15
        (2, 10, SUPPRESSED),  # 20 % of 10 would say two people
        (8, 10, SUPPRESSED),  # 80 % of 10 would say two did not
    ],
)
def test_a_share_is_hidden_when_it_would_give_a_small_count_away(
    part: int, whole: int, shown: object
) -> None:
    assert share_value(part, whole, 5) == shown


def test_an_unsuppressed_share_is_exact() -> None:
    assert share_value(5, 13, None) == 5 / 13
    assert share_value(0, 0, None) is None


def test_a_survival_share_is_coarsened_to_five_points_when_suppressed() -> None:
    assert coarse_share(0.4615, 5) == 0.45
    assert coarse_share(0.4615, None) == 0.4615


def test_one_hidden_cell_beside_a_shown_total_takes_the_next_smallest_with_it() -> None:
    # Women 9, men 3 (hidden), other 6: the total 18 minus 9 and 6 would give 3.
    assert protect_group([9, SUPPRESSED, 6], total_shown=True) == [9, SUPPRESSED, SUPPRESSED]
    # Two already hidden: neither can be worked out on its own.
    assert protect_group([9, SUPPRESSED, SUPPRESSED], total_shown=True) == [
        9,
        SUPPRESSED,
        SUPPRESSED,
    ]
    # No total shown: nothing to protect against.
    assert protect_group([9, SUPPRESSED, 6], total_shown=False) == [9, SUPPRESSED, 6]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_quantiles_from_a_histogram_agree_with_numpy(seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    values = [rng.randint(0, 60) for _n in range(rng.randint(1, 200))]
    histogram: dict[int, int] = {}
    for value in values:
        histogram[value] = histogram.get(value, 0) + 1
    for q in (0.25, 0.5, 0.75):
        assert quantile(histogram, q) == pytest.approx(float(np.quantile(values, q)))
    assert quantile({}, 0.5) is None


def test_figures_read_as_the_page_shows_them() -> None:
    assert format_value(SUPPRESSED, "count", 5) == "färre än 5"
    assert format_value(None, "share", 5) == "–"
    assert format_value(0.475, "share", None) == "48 %"
    assert format_value(12.26, "days", None) == "12,3"


def test_days_between_counts_whole_days_across_months_and_leap_days(
    make_case: object,
) -> None:
    case = make_case()  # type: ignore[operator]
    Case.objects.filter(pk=case.pk).update(
        first_contact_date=dt.date(2024, 2, 28),
        closed_on=dt.date(2025, 3, 1),
        stage="closed",
        closing_reason="moved",
    )
    days = (
        Case.objects.filter(pk=case.pk)
        .annotate(days=DaysBetween(F("closed_on"), F("first_contact_date")))
        .values_list("days", flat=True)
        .get()
    )
    # 2024-02-28 → 2025-02-28 is 366 days (2024 is a leap year), then one more day.
    assert days == 367
