"""The group-level report for Arbetsförmedlingen never holds a count below the suppression
limit, nor one from which a suppressed count could be worked out; nor any personal data."""

import csv
import io
from collections.abc import Callable

import pytest
from django.test import Client
from rest_framework.test import APIClient

from conftest import CaseFactory
from sia.accounts.models import User
from sia.establishment.models import ProgrammeStatus
from sia.establishment.selectors import programme_report
from sia.establishment.tests.conftest import days_ago

LIMIT = 5


@pytest.fixture
def in_programme(
    make_case: CaseFactory, add_programme: Callable[..., ProgrammeStatus]
) -> Callable[[int, int], list[ProgrammeStatus]]:
    """`n` people in the programme, `with_sfi` of whom started SFI; every one has an action
    plan 10 weeks old and is subject to education duty."""

    def make(n: int, with_sfi: int) -> list[ProgrammeStatus]:
        return [
            add_programme(
                make_case(team=()),
                af_registered_on=days_ago(90),
                programme_started_on=days_ago(80),
                action_plan_on=days_ago(70),
                sfi_started_on=days_ago(20) if i < with_sfi else None,
                education_duty=True,
            )
            for i in range(n)
        ]

    return make


def test_three_people_every_count_is_suppressed(
    in_programme: Callable[[int, int], list[ProgrammeStatus]], staff: dict[str, User]
) -> None:
    in_programme(3, 1)
    report = programme_report(staff["chef"], days_ago(0))
    assert report.suppress_below == LIMIT
    assert all(row.count is None for row in report.rows)


def test_six_people_complementary_cells_are_suppressed_together(
    in_programme: Callable[[int, int], list[ProgrammeStatus]],
    staff: dict[str, User],
    login: Callable[[str], Client],
    api_as: Callable[[str], APIClient],
) -> None:
    statuses = in_programme(6, 5)  # 5 started SFI, 1 did not
    report = programme_report(staff["chef"], days_ago(0))
    assert report.count("people") == 6
    assert report.count("registered") is None  # 6 of 6: the complement 0 is below the limit
    assert report.count("education_duty") is None
    # 5 started is above the limit, but 6 - 5 = 1 would reveal the one who did not.
    assert report.count("sfi_started") is None
    assert report.count("sfi_not_started") is None
    assert report.count("sfi_overdue") is None
    shown = [row.count for row in report.rows if row.count is not None]
    assert all(count >= LIMIT for count in shown)

    page = login("chef").get("/etablering/rapport/")
    assert page.status_code == 200
    assert "färre än 5" in page.content.decode()
    for status in statuses:
        assert status.case.person.family_name not in page.content.decode()
        assert str(status.case.pk) not in page.content.decode()

    download = login("chef").get("/etablering/rapport/?format=csv")
    assert download["Content-Type"].startswith("text/csv")
    assert "no-store" in download["Cache-Control"]
    rows = list(csv.reader(io.StringIO(download.content.decode()), delimiter=";"))[1:]
    counts = [count for _label, count in rows]
    assert counts[0] == "6"
    assert all(c == "färre än 5" or int(c) >= LIMIT for c in counts)

    answer = api_as("analytiker").get("/api/v1/reports/programme/")
    assert answer.status_code == 200
    api_counts = {row["key"]: row["count"] for row in answer.json()["rows"]}
    assert api_counts["people"] == 6
    assert api_counts["sfi_started"] is None
    assert all(c is None or c >= LIMIT for c in api_counts.values())


def test_ten_people_shows_balanced_counts(
    in_programme: Callable[[int, int], list[ProgrammeStatus]], staff: dict[str, User]
) -> None:
    in_programme(10, 5)
    report = programme_report(staff["analytiker"], days_ago(0))
    assert (report.count("sfi_started"), report.count("sfi_not_started")) == (5, 5)
    # All 5 without SFI are past the 4-week threshold: the complement 0 hides it.
    assert report.count("sfi_overdue") is None
    assert report.count("civic_not_started") is None  # 10 of 10: complement 0


def test_only_managers_and_analysts_open_the_report(
    login: Callable[[str], Client], api_as: Callable[[str], APIClient]
) -> None:
    for persona in ("socsek", "af", "vagledare1"):
        assert login(persona).get("/etablering/rapport/").status_code == 404
        assert api_as(persona).get("/api/v1/reports/programme/").status_code == 404
    assert login("analytiker").get("/etablering/rapport/").status_code == 200
