"""Decisions on support: signed and immutable, refusals carry an appeal notice, only the
integration social worker or the manager decides, the provider sees only the cases it was
ordered to serve, logs work, and the support ends when the checklist is met."""

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from sia.audit.models import AuditAction, AuditEvent, Channel
from sia.core.exceptions import InvalidTransition, NotFoundOrForbidden, ValidationFailed
from sia.decisions import services
from sia.decisions.models import (
    PlanItem,
    ProviderLogEntry,
    SupportDecision,
    SupportEnding,
    SupportPlan,
)
from sia.decisions.selectors import list_due_follow_ups, list_ordered_cases

TODAY = timezone.localdate()
Category = ProviderLogEntry.Category


@pytest.fixture
def case(make_case: Any) -> Any:
    return make_case(team=("integration",))


@pytest.fixture
def decide(staff: Any, units: Any, case: Any) -> Any:
    def make(actor: str = "integration", **overrides: Any) -> SupportDecision:
        fields: dict[str, Any] = {
            "case_id": case.pk,
            "applied_for": "Socialt och praktiskt stöd",
            "applied_on": TODAY,
            "outcome": SupportDecision.Outcome.GRANTED,
            "decided_support": "Stöd av bosättningsenheten",
            "legal_basis": SupportDecision.LegalBasis.SOL_4_1,
            "reasons": "Behov av stöd i vardagen",
            "provider_id": units["Bosättningsenheten"].pk,
            "valid_from": TODAY,
            "valid_until": None,
            "appeal_notice": "",
            "channel": Channel.SYSTEM,
        }
        fields.update(overrides)
        return services.make_decision(actor=staff[actor], **fields)

    return make


def _plan(staff: Any, decision: SupportDecision, items: tuple[str, ...] = ("Bank", "Skola")) -> Any:
    return services.make_plan(
        actor=staff["integration"],
        decision_id=decision.pk,
        time_plan="Cirka sex månader",
        expected_end_on=None,
        items=list(items),
        channel=Channel.SYSTEM,
    )


def _count() -> tuple[int, int, int]:
    return (
        SupportDecision.objects.count(),
        AuditEvent.objects.filter(action=AuditAction.DECISION_MADE).count(),
        ProviderLogEntry.objects.count(),
    )


def test_decision_is_signed_and_audited(decide: Any, staff: Any) -> None:
    decision = decide()
    assert decision.decided_by == staff["integration"]
    assert decision.decided_on == TODAY
    assert decision.signed_at is not None
    assert AuditEvent.objects.filter(action=AuditAction.DECISION_MADE).count() == 1


def test_manager_decides_but_others_do_not(decide: Any, make_case: Any) -> None:
    assert decide(actor="chef").pk
    for username in ("socsek", "bosattning", "af"):
        with pytest.raises(NotFoundOrForbidden):
            decide(actor=username)
    # The integration social worker off the team cannot decide either.
    other = make_case(team=())
    with pytest.raises(NotFoundOrForbidden):
        decide(case_id=other.pk)
    assert SupportDecision.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"outcome": SupportDecision.Outcome.REJECTED}, "appeal_notice"),
        ({"outcome": SupportDecision.Outcome.PARTLY}, "appeal_notice"),
        ({"reasons": "  "}, "reasons"),
        ({"applied_on": TODAY + dt.timedelta(days=1)}, "applied_on"),
        ({"applied_on": TODAY - dt.timedelta(days=1)}, "applied_on"),  # before first contact
        ({"provider_id": None}, "provider_id"),
        ({"decided_support": ""}, "decided_support"),
        ({"valid_from": None}, "valid_from"),
        ({"valid_until": TODAY - dt.timedelta(days=1)}, "valid_until"),
    ],
)
def test_bad_decision_is_refused_and_writes_nothing(
    decide: Any, overrides: dict[str, Any], field: str
) -> None:
    before = _count()
    with pytest.raises(ValidationFailed) as error:
        decide(**overrides)
    assert error.value.field == field
    assert _count() == before


def test_provider_must_be_a_unit_of_the_municipality(decide: Any, units: Any) -> None:
    partner = next(unit for unit in units.values() if unit.kind == "partner")
    with pytest.raises(ValidationFailed):
        decide(provider_id=partner.pk)


def test_rejection_with_appeal_notice_orders_no_provider(decide: Any) -> None:
    decision = decide(
        outcome=SupportDecision.Outcome.REJECTED, appeal_notice=services.DEFAULT_APPEAL_NOTICE
    )
    assert decision.provider_id is None
    assert "förvaltningsrätten" in decision.appeal_notice


def test_correction_is_a_new_record_and_the_old_is_unchanged(decide: Any) -> None:
    old = decide()
    before = SupportDecision.objects.filter(pk=old.pk).values().get()
    new = decide(reasons="Rättat skäl", supersedes_id=old.pk)
    assert new.pk != old.pk
    assert new.supersedes_id == old.pk
    assert SupportDecision.objects.filter(pk=old.pk).values().get() == before
    # Only the current decision can be corrected.
    with pytest.raises(InvalidTransition):
        decide(supersedes_id=old.pk)


def test_decision_cannot_be_edited_on_the_page_or_api(
    decide: Any, case: Any, login: Any, api_as: Any
) -> None:
    decision = decide()
    url = f"/api/v1/cases/{case.pk}/decisions/{decision.pk}/"
    client = api_as("integration")
    assert client.patch(url, {"reasons": "Nytt"}, format="json").status_code == 405
    assert client.put(url, {"reasons": "Nytt"}, format="json").status_code == 405
    page = login("integration").get(reverse("decision-detail", args=[case.pk, decision.pk]))
    assert page.status_code == 200
    assert "kan inte ändras" in page.content.decode()
    assert 'name="reasons"' not in page.content.decode()
    decision.refresh_from_db()
    assert decision.reasons == "Behov av stöd i vardagen"


def test_informed_is_recorded_once_and_not_in_the_future(decide: Any, staff: Any) -> None:
    decision = decide()

    def tell(day: dt.date) -> SupportDecision:
        return services.record_informed(
            actor=staff["integration"],
            decision_id=decision.pk,
            informed_on=day,
            informed_how=SupportDecision.InformedHow.LETTER,
            channel=Channel.SYSTEM,
        )

    with pytest.raises(ValidationFailed):
        tell(TODAY + dt.timedelta(days=1))
    assert tell(TODAY).informed_on == TODAY
    with pytest.raises(InvalidTransition):
        tell(TODAY)


def test_provider_sees_only_ordered_cases(
    decide: Any, case: Any, make_case: Any, login: Any, staff: Any
) -> None:
    other = make_case(team=("integration",))
    provider = login("bosattning")
    assert provider.get(reverse("case-decisions", args=[other.pk])).status_code == 404
    assert provider.get(reverse("case-decisions", args=[case.pk])).status_code == 404
    decision = decide()
    assert provider.get(reverse("decision-detail", args=[case.pk, decision.pk])).status_code == 200
    assert provider.get(reverse("case-detail", args=[case.pk])).status_code == 200
    assert provider.get(reverse("case-detail", args=[other.pk])).status_code == 404
    queue = provider.get(reverse("provider-queue"))
    assert case.reference in queue.content.decode()
    assert other.reference not in queue.content.decode()
    assert [d.pk for d in list_ordered_cases(staff["bosattning"])] == [decision.pk]


def test_provider_loses_the_case_when_support_ends_or_is_rejected(
    decide: Any, case: Any, login: Any, staff: Any
) -> None:
    decision = decide()
    provider = login("bosattning")
    services.end_support(
        actor=staff["integration"],
        decision_id=decision.pk,
        ended_on=TODAY,
        reason=SupportEnding.Reason.MOVED,
        note="",
        channel=Channel.SYSTEM,
    )
    assert provider.get(reverse("case-detail", args=[case.pk])).status_code == 404
    assert provider.get(reverse("decision-detail", args=[case.pk, decision.pk])).status_code == 404
    decide(outcome=SupportDecision.Outcome.REJECTED, appeal_notice="Överklaga inom tre veckor.")
    assert provider.get(reverse("case-detail", args=[case.pk])).status_code == 404


def test_provider_logs_work_and_social_worker_sees_totals(
    decide: Any, case: Any, login: Any
) -> None:
    decision = decide()
    provider = login("bosattning")
    url = reverse("decision-log", args=[case.pk, decision.pk])
    for minutes, category in ((30, Category.BUDGET_ADVICE), (45, Category.BUDGET_ADVICE)):
        response = provider.post(
            url,
            {
                "performed_on": f"{TODAY:%Y-%m-%d}",
                "minutes": minutes,
                "category": category,
                "note": "",
                "next": "queue",
            },
        )
        assert response.status_code == 302
    assert response["Location"] == reverse("provider-queue")
    assert ProviderLogEntry.objects.filter(decision=decision).count() == 2
    page = login("integration").get(reverse("decision-detail", args=[case.pk, decision.pk]))
    html = page.content.decode()
    assert "Ekonomisk rådgivning" in html
    assert "<td>75</td>" in html


def test_bad_log_writes_nothing(decide: Any, case: Any, login: Any, staff: Any) -> None:
    decision = decide()
    provider = login("bosattning")
    url = reverse("decision-log", args=[case.pk, decision.pk])
    for data in (
        {"performed_on": f"{TODAY + dt.timedelta(days=1):%Y-%m-%d}", "minutes": 10},
        {"performed_on": f"{TODAY - dt.timedelta(days=1):%Y-%m-%d}", "minutes": 10},
        {"performed_on": f"{TODAY:%Y-%m-%d}", "minutes": 1441},
        {"performed_on": f"{TODAY:%Y-%m-%d}", "minutes": 0},
    ):
        provider.post(url, {**data, "category": Category.FORMS})
    # Staff of another unit cannot log.
    with pytest.raises(NotFoundOrForbidden):
        services.log_work(
            actor=staff["socsek"],
            decision_id=decision.pk,
            performed_on=TODAY,
            minutes=10,
            category=Category.FORMS,
            note="",
            channel=Channel.SYSTEM,
        )
    assert not ProviderLogEntry.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.PROVIDER_LOGGED).exists()


def test_checklist_completion_allows_ending_and_not_before(
    decide: Any, case: Any, login: Any, staff: Any
) -> None:
    decision = decide()
    plan = _plan(staff, decision)
    client = login("integration")
    detail = reverse("decision-detail", args=[case.pk, decision.pk])
    end = reverse("decision-end", args=[case.pk, decision.pk])
    action = "Avsluta insatsen – checklistan är uppfylld"
    reason = {"ended_on": f"{TODAY:%Y-%m-%d}", "reason": "checklist_met", "note": ""}
    assert action not in client.get(detail).content.decode()
    client.post(end, reason)
    assert not SupportEnding.objects.exists()
    for item in plan.items.all():
        client.post(
            reverse("decision-item-mark", args=[case.pk, decision.pk, item.pk]),
            {"met": "1", "met_on": f"{TODAY:%Y-%m-%d}", "lock_version": item.lock_version},
        )
    assert not PlanItem.objects.filter(met_on__isnull=True).exists()
    # The last item met does not end the support; the page offers it.
    assert not SupportEnding.objects.exists()
    assert action in client.get(detail).content.decode()
    assert client.post(end, reason).status_code == 302
    ending = SupportEnding.objects.get()
    assert ending.reason == SupportEnding.Reason.CHECKLIST_MET
    with pytest.raises(InvalidTransition):
        services.end_support(
            actor=staff["integration"],
            decision_id=decision.pk,
            ended_on=TODAY,
            reason=SupportEnding.Reason.OTHER,
            note="Igen",
            channel=Channel.SYSTEM,
        )


def test_plan_once_per_granted_decision(decide: Any, staff: Any) -> None:
    decision = decide()
    _plan(staff, decision)
    with pytest.raises(InvalidTransition):
        _plan(staff, decision)
    rejected = decide(outcome=SupportDecision.Outcome.REJECTED, appeal_notice="Överklaga.")
    with pytest.raises(InvalidTransition):
        _plan(staff, rejected)
    with pytest.raises(NotFoundOrForbidden):
        services.make_plan(
            actor=staff["bosattning"],
            decision_id=decision.pk,
            time_plan="x",
            expected_end_on=None,
            items=["x"],
            channel=Channel.SYSTEM,
        )
    assert SupportPlan.objects.count() == 1


def test_pages_show_the_form_and_history(decide: Any, case: Any, login: Any) -> None:
    client = login("integration")
    url = reverse("case-decisions", args=[case.pk])
    page = client.get(url).content.decode()
    assert "förvaltningsrätten" in page  # the prefilled appeal notice
    old = decide()
    response = client.post(
        url,
        {
            "supersedes": str(old.pk),
            "applied_for": "Stöd",
            "applied_on": f"{TODAY:%Y-%m-%d}",
            "outcome": "rejected",
            "legal_basis": "sol_4_1",
            "reasons": "Rättelse",
            "appeal_notice": "",
        },
    )
    assert response.status_code == 200  # no appeal notice: the form shows the error
    assert SupportDecision.objects.count() == 1
    response = client.post(
        url,
        {
            "supersedes": str(old.pk),
            "applied_for": "Stöd",
            "applied_on": f"{TODAY:%Y-%m-%d}",
            "outcome": "rejected",
            "legal_basis": "sol_4_1",
            "reasons": "Rättelse",
            "appeal_notice": "Överklaga inom tre veckor.",
        },
    )
    assert response.status_code == 302
    assert "Ersatt av rättelse" in client.get(url).content.decode()
    assert login("socsek").post(url, {}).status_code == 404


def test_print_is_not_stored(decide: Any, case: Any, login: Any) -> None:
    decision = decide(
        outcome=SupportDecision.Outcome.PARTLY,
        appeal_notice=str(services.DEFAULT_APPEAL_NOTICE),
    )
    response = login("integration").get(reverse("decision-print", args=[case.pk, decision.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "besvärshänvisning" in response.content.decode()


def test_due_follow_ups(decide: Any, staff: Any) -> None:
    decision = decide()
    services.record_follow_up(
        actor=staff["bosattning"],
        decision_id=decision.pk,
        held_on=TODAY,
        participants="Ines, Bo",
        notes="Går bra",
        next_follow_up_on=TODAY + dt.timedelta(days=7),
        channel=Channel.SYSTEM,
    )
    assert not list_due_follow_ups(staff["integration"], TODAY)
    later = TODAY + dt.timedelta(days=7)
    assert len(list_due_follow_ups(staff["integration"], later)) == 1
    assert len(list_due_follow_ups(staff["bosattning"], later)) == 1
    assert not list_due_follow_ups(staff["vagledare2"], later)


def test_api_round_trip(case: Any, units: Any, api_as: Any) -> None:
    client = api_as("integration")
    base = f"/api/v1/cases/{case.pk}/decisions/"
    response = client.post(
        base,
        {
            "applied_for": "Stöd",
            "applied_on": f"{TODAY:%Y-%m-%d}",
            "outcome": "granted",
            "decided_support": "Stöd i vardagen",
            "legal_basis": "sol_4_1",
            "reasons": "Behov",
            "provider": str(units["Bosättningsenheten"].pk),
            "valid_from": f"{TODAY:%Y-%m-%d}",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    one = f"{base}{response.json()['id']}/"
    bad = client.post(base, {**response.json(), "outcome": "rejected"}, format="json")
    assert bad.status_code == 400
    plan = client.post(
        f"{one}plan/", {"time_plan": "Sex månader", "items": ["Bank"]}, format="json"
    )
    assert plan.status_code == 201
    item = plan.json()["items"][0]["id"]
    assert (
        client.patch(
            f"{one}plan/items/{item}/",
            {"met_on": f"{TODAY:%Y-%m-%d}", "lock_version": 1},
            format="json",
        ).json()["met_on"]
        == f"{TODAY:%Y-%m-%d}"
    )
    provider = api_as("bosattning")
    log = provider.post(
        f"{one}log/",
        {"performed_on": f"{TODAY:%Y-%m-%d}", "minutes": 20, "category": "translation"},
        format="json",
    )
    assert log.status_code == 201
    assert len(client.get(f"{one}log/").json()) == 1
    assert (
        client.post(
            f"{one}informed/", {"informed_on": f"{TODAY:%Y-%m-%d}", "informed_how": "meeting"}
        ).status_code
        == 200
    )
    follow = client.post(
        f"{one}follow-ups/",
        {"held_on": f"{TODAY:%Y-%m-%d}", "participants": "Ines, Bo", "notes": "Bra"},
        format="json",
    )
    assert follow.status_code == 201
    assert len(client.get(f"{one}follow-ups/").json()) == 1
    end = client.post(
        f"{one}end/", {"ended_on": f"{TODAY:%Y-%m-%d}", "reason": "checklist_met"}, format="json"
    )
    assert end.status_code == 201
    assert client.get(one).json()["ended_on"] == f"{TODAY:%Y-%m-%d}"
    assert len(client.get(base).json()) == 1
    assert provider.get(one).status_code == 404
    assert api_as("vagledare2").get(base).status_code == 404


def test_the_provider_reaches_the_decision_and_housing_but_no_other_record_of_the_case(
    decide: Any, case: Any, login: Any
) -> None:
    decide()
    provider = login("bosattning")
    page = provider.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert "Beslut om insats" in page
    assert "Nästa steg" not in page
    assert provider.get(f"/arenden/{case.pk}/bostad/").status_code == 200
    for path in (
        "avstamning/",
        "nybesok/",
        "sia-plan/",
        "team/",
        "moten/",
        "kartlaggning/",
        "etablering/",
        "grupper/",
    ):
        assert provider.get(f"/arenden/{case.pk}/{path}").status_code == 404, path
    for path in ("", "timeline/", "plans/", "tasks/", "team-members/", "assessment-talks/"):
        assert provider.get(f"/api/v1/cases/{case.pk}/{path}").status_code == 404, path
