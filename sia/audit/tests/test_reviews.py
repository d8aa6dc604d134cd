"""The record that a check was done: by whom, when, over which period, with what result."""

from collections.abc import Callable

import pytest
from django.db import transaction
from django.test import Client
from rest_framework.test import APIClient

from conftest import CaseFactory
from sia.accounts.models import Membership, Role, Unit, User
from sia.audit.models import AuditAction, AuditEvent, Channel, LogReview
from sia.audit.review import LogReviewInput, record_log_review
from sia.audit.selectors_review import Period
from sia.audit.tests.conftest import LogEvent, query
from sia.cases.models import Case
from sia.core.exceptions import NotFoundOrForbidden


@pytest.fixture
def case(make_case: CaseFactory, log: LogEvent) -> Case:
    """A reception case read five times last month: once from another unit."""
    case = make_case()
    for i in range(4):
        log("socsek", AuditAction.CASE_VIEWED, case=case, minutes=i)
    log("annan", AuditAction.CASE_VIEWED, case=case, minutes=9)
    return case


def recorded() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditAction.LOG_REVIEW_RECORDED))


def test_a_manager_records_a_sample_check_on_the_page_and_sees_it_listed(
    case: Case, login: Callable[[str], Client], period: Period, reception: Unit
) -> None:
    chef = login("chef")
    params = query(period, antal=3, seed=77)
    response = chef.post(
        "/logg/kontroll/", {**params, "result": "no_remarks", "follow_up": "Ingen åtgärd."}
    )
    assert response.status_code == 302
    assert "seed=77" in response["Location"]
    review = LogReview.objects.get()
    assert review.reviewed_by.username == "chef"
    assert (review.kind, review.result) == (LogReview.Kind.SAMPLE, LogReview.Result.NO_REMARKS)
    assert (review.period_from, review.period_to) == (period.start, period.end)
    assert (review.sample_seed, review.sample_size, review.events_examined) == (77, 3, 3)
    assert list(review.units.all()) == [reception]
    [event] = recorded()
    assert event.changes["review"] == str(review.pk)
    assert event.changes["result"] == "no_remarks"
    page = chef.get(response["Location"]).content.decode()
    assert "Loggkontrollen är dokumenterad." in page
    assert "3 händelser, frö 77" in page
    assert "Inga anmärkningar" in page


def test_a_manager_records_remarks_on_unusual_access(
    case: Case, login: Callable[[str], Client], period: Period
) -> None:
    response = login("chef").post(
        "/logg/avvikelser/",
        {
            **query(period),
            "result": "remarks",
            "findings": f"annan läste ärende {case.reference} utan tjänstebehov.",
            "follow_up": "Samtal med annans chef bokat.",
        },
    )
    assert response.status_code == 302
    review = LogReview.objects.get()
    assert review.kind == LogReview.Kind.UNUSUAL
    assert review.sample_seed is None
    # The one read from another unit.
    assert review.events_examined == 1
    page = login("chef").get("/logg/avvikelser/", query(period)).content.decode()
    assert "utan tjänstebehov" in page
    assert "Samtal med annans chef bokat." in page


def test_remarks_without_findings_are_refused_and_nothing_is_written(
    case: Case, login: Callable[[str], Client], api_as: Callable[[str], APIClient], period: Period
) -> None:
    page = login("chef").post(
        "/logg/kontroll/", {**query(period, antal=3, seed=1), "result": "remarks", "findings": " "}
    )
    assert page.status_code == 200
    assert "Beskriv anmärkningarna" in page.content.decode()
    api = api_as("chef").post(
        "/api/v1/audit/reviews/",
        {**query(period), "kind": "unusual", "result": "remarks"},
        format="json",
    )
    assert api.status_code == 400
    assert "findings" in api.json()
    assert not LogReview.objects.exists()
    assert recorded() == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "sample", "result": "no_remarks"}, "seed"),
        ({"kind": "sample", "result": "no_remarks", "seed": 5, "antal": 201}, "antal"),
        ({"kind": "sample", "result": "no_remarks", "seed": 0, "antal": 5}, "seed"),
        ({"kind": "okänd", "result": "no_remarks"}, "kind"),
        ({"kind": "unusual", "result": "kanske"}, "result"),
        ({"kind": "unusual", "result": "no_remarks", "till": "2999-01-01"}, "till"),
        ({"kind": "unusual", "result": "no_remarks", "fran": "igår"}, "fran"),
        ({"kind": "unusual", "result": "remarks", "findings": "19850408-9812 läste"}, "findings"),
        ({"kind": "unusual", "result": "no_remarks", "follow_up": "x" * 10_001}, "follow_up"),
    ],
)
def test_bad_input_to_the_api_is_a_400_and_nothing_is_written(
    api_as: Callable[[str], APIClient], period: Period, body: dict[str, object], field: str
) -> None:
    response = api_as("chef").post(
        "/api/v1/audit/reviews/", {**query(period), **body}, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not LogReview.objects.exists()
    assert recorded() == []


def test_a_personnummer_in_the_findings_is_refused_on_the_page(
    login: Callable[[str], Client], period: Period
) -> None:
    response = login("chef").post(
        "/logg/avvikelser/",
        {**query(period), "result": "remarks", "findings": "Gällde 850408-9812."},
    )
    assert response.status_code == 200
    assert "Skriv inte personnummer" in response.content.decode()
    assert not LogReview.objects.exists()


def test_the_api_records_and_lists_reviews(
    case: Case, api_as: Callable[[str], APIClient], period: Period, reception: Unit
) -> None:
    client = api_as("chef")
    created = client.post(
        "/api/v1/audit/reviews/",
        {**query(period), "kind": "sample", "antal": 20, "seed": 8, "result": "no_remarks"},
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["reviewed_by"], body["events_examined"], body["sample_seed"]) == ("chef", 5, 8)
    assert body["units"] == [str(reception.pk)]
    [event] = recorded()
    assert event.channel == Channel.API
    listed = client.get("/api/v1/audit/reviews/").json()
    assert [row["id"] for row in listed["results"]] == [body["id"]]


def test_a_log_review_can_never_be_changed_or_deleted(
    staff: dict[str, User], period: Period
) -> None:
    with transaction.atomic():
        review = record_log_review(
            reviewed_by=staff["chef"],
            data=LogReviewInput(kind="unusual", period=period, result="no_remarks"),
            channel=Channel.WEB,
        )
    review.findings = "Ändrat i efterhand."
    with pytest.raises(PermissionError):
        review.save()
    with pytest.raises(PermissionError):
        review.delete()
    with pytest.raises(PermissionError):
        LogReview.objects.all().update(findings="x")
    with pytest.raises(PermissionError):
        LogReview.objects.all().delete()
    assert LogReview.objects.get().findings == ""


def test_the_log_review_api_has_no_change_or_delete(
    staff: dict[str, User], api_as: Callable[[str], APIClient]
) -> None:
    client = api_as("chef")
    assert client.put("/api/v1/audit/reviews/", {}, format="json").status_code == 405
    assert client.delete("/api/v1/audit/reviews/").status_code == 405


@pytest.mark.parametrize("username", ["socsek", "analytiker", "af", "vagledare1", "admin"])
def test_only_managers_reach_the_review_and_may_record_one(
    username: str,
    login: Callable[[str], Client],
    api_as: Callable[[str], APIClient],
    period: Period,
) -> None:
    client, api = login(username), api_as(username)
    for url in ("/logg/kontroll/", "/logg/avvikelser/"):
        assert client.get(url).status_code == 404
        assert client.post(url, {**query(period), "result": "no_remarks"}).status_code == 404
    for url in ("/api/v1/audit/sample/", "/api/v1/audit/unusual/", "/api/v1/audit/reviews/"):
        assert api.get(url).status_code == 404
    posted = api.post(
        "/api/v1/audit/reviews/",
        {**query(period), "kind": "unusual", "result": "no_remarks"},
        format="json",
    )
    assert posted.status_code == 404
    assert not LogReview.objects.exists()
    with pytest.raises(NotFoundOrForbidden), transaction.atomic():
        record_log_review(
            reviewed_by=User.objects.get(username=username),
            data=LogReviewInput(kind="unusual", period=period, result="no_remarks"),
            channel=Channel.WEB,
        )


def test_reviews_are_shown_only_to_managers_of_all_the_units_they_cover(
    staff: dict[str, User],
    other_unit: Unit,
    reception: Unit,
    period: Period,
    api_as: Callable[[str], APIClient],
) -> None:
    # Given a manager of the other unit, and a manager of both units
    def manager(username: str, *units: Unit) -> User:
        user = User.objects.create_user(username=username, password="x")
        for unit in units:
            Membership.objects.create(user=user, unit=unit, role=Role.DEPUTY_UNIT_MANAGER)
        return user

    others = manager("chef2", other_unit)
    both = manager("chef3", other_unit, reception)

    def review(user: User) -> LogReview:
        with transaction.atomic():
            return record_log_review(
                reviewed_by=user,
                data=LogReviewInput(kind="unusual", period=period, result="no_remarks"),
                channel=Channel.WEB,
            )

    ours, theirs, wide = review(staff["chef"]), review(others), review(both)

    def listed(user: User) -> set[str]:
        client = APIClient()
        client.force_authenticate(user)
        return {row["id"] for row in client.get("/api/v1/audit/reviews/").json()["results"]}

    # Then each sees the reviews of their own units only: a review covering a unit
    # someone does not manage stays hidden from them.
    assert listed(staff["chef"]) == {str(ours.pk)}
    assert listed(others) == {str(theirs.pk)}
    assert listed(both) == {str(ours.pk), str(theirs.pk), str(wide.pk)}
