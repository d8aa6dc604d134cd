"""Bad input to issue 5's write endpoints gets a clear error and changes nothing.

As tests/test_bad_input_collaboration.py (whose helpers this module reuses), for the
decisions, settlement and establishment apps: a user who may write there (the deputy
manager `chef`, who manages the case's unit; the ordered provider `bosattning` for the log
and the housing tasks) sends empty bodies, wrong types, unknown UUIDs and UUIDs of another
case's records, invalid choices, far-past/far-future dates, over-long strings, bad numbers
and (API) malformed JSON. The answer is 400/404/405/409 (pages: a form with errors or a
redirect carrying an error message) and no row of the three apps or of the audit log (reads
aside) is written.
"""

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.utils import timezone, translation
from pytest_django import DjangoDbBlocker

from conftest import PASSWORD
from sia.accounts.models import Unit, User
from sia.audit.models import AuditEvent, Channel
from sia.decisions import services as decision_services
from sia.decisions.models import PlanItem, SupportDecision
from sia.demo.staff import create_staff
from sia.settlement import services as settlement_services
from sia.settlement.models import HousingTask
from tests.test_bad_input_collaboration import (
    FAR_FUTURE,
    FAR_PAST,
    LONG,
    MALFORMED,
    _api,
    _case,
    _page,
)

NEW_APPS = ("decisions", "settlement", "establishment")
Ids = dict[str, str]


def _decision(case_id: Any, staff: dict[str, User], *, plan: bool) -> SupportDecision:
    chef, today = staff["chef"], timezone.localdate()
    decision = decision_services.make_decision(
        actor=chef,
        case_id=case_id,
        applied_for="Stöd i vardagen.",
        applied_on=today,
        outcome=SupportDecision.Outcome.GRANTED,
        decided_support="Praktiskt stöd.",
        legal_basis=SupportDecision.LegalBasis.SOL_4_1,
        reasons="Behöver stöd.",
        provider_id=Unit.objects.get(name="Bosättningsenheten").pk,
        valid_from=today,
        valid_until=None,
        appeal_notice="",
        channel=Channel.WEB,
    )
    if plan:
        decision_services.make_plan(
            actor=chef,
            decision_id=decision.pk,
            time_plan="Tre månader.",
            expected_end_on=None,
            items=["Betala hyran själv"],
            channel=Channel.WEB,
        )
    return decision


def _world(staff: dict[str, User]) -> Ids:
    """Two cases with an ordered, planned decision and a started housing checklist each
    (the second one's records are "another case's"), and a plan-less decision."""
    ids: Ids = {}
    for n, prefix in ((1, ""), (2, "other_")):
        case = _case(staff, n)
        decision = _decision(case.pk, staff, plan=True)
        tasks = settlement_services.start_checklist(
            actor=staff["chef"], case_id=case.pk, channel=Channel.WEB
        )
        ids |= {
            f"{prefix}case": str(case.pk),
            f"{prefix}decision": str(decision.pk),
            f"{prefix}item": str(decision.plan.items.get().pk),
            f"{prefix}task": str(tasks[0].pk),
        }
        if not prefix:
            ids["bare_decision"] = str(_decision(case.pk, staff, plan=False).pk)
    ids["unknown"] = "00000000-0000-4000-8000-000000000000"
    return ids


@pytest.fixture(scope="module")
def recorded(
    django_db_setup: None, django_db_blocker: DjangoDbBlocker
) -> Iterator[tuple[dict[str, User], Ids]]:
    """Personas and the records, built once; rolled back after the module's last test."""
    with django_db_blocker.unblock(), transaction.atomic():
        with translation.override(settings.LANGUAGE_CODE):
            staff = create_staff(password=PASSWORD)
            ids = _world(staff)
        with django_db_blocker.block():  # tests reach the database through `db` only
            yield staff, ids
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def staff(recorded: tuple[dict[str, User], Ids]) -> dict[str, User]:
    return recorded[0]


@pytest.fixture
def ids(recorded: tuple[dict[str, User], Ids], db: None) -> Ids:
    return recorded[1]


# (writer, method, url template, payload): as in test_bad_input_collaboration.
C, B = "chef", "bosattning"
D = "/arenden/{case}/beslut/{decision}/"
DA = "/api/v1/cases/{case}/decisions/{decision}/"
DECISION = {
    "applied_for": "Stöd",
    "applied_on": "{today}",
    "outcome": "granted",
    "legal_basis": "sol_4_1",
    "reasons": "Skäl",
    "provider": "{unknown}",
}

DECISION_API = [
    (C, "POST", "/api/v1/cases/{case}/decisions/", {}),
    (C, "POST", "/api/v1/cases/{case}/decisions/", MALFORMED),
    (C, "POST", "/api/v1/cases/{case}/decisions/", [1, 2]),
    (C, "POST", "/api/v1/cases/{case}/decisions/", DECISION),
    (C, "POST", "/api/v1/cases/{case}/decisions/", DECISION | {"provider": None, "outcome": "x"}),
    (
        C,
        "POST",
        "/api/v1/cases/{case}/decisions/",
        DECISION | {"provider": None, "applied_on": FAR_FUTURE},
    ),
    (
        C,
        "POST",
        "/api/v1/cases/{case}/decisions/",
        DECISION | {"provider": None, "applied_on": FAR_PAST},
    ),
    (C, "POST", "/api/v1/cases/{case}/decisions/", DECISION | {"provider": None, "reasons": LONG}),
    (
        C,
        "POST",
        "/api/v1/cases/{case}/decisions/",
        DECISION | {"provider": None, "supersedes": "{other_decision}"},
    ),
    (
        C,
        "POST",
        "/api/v1/cases/{case}/decisions/",
        DECISION | {"provider": None, "valid_from": "{today}", "valid_until": "2000-01-01"},
    ),
    (C, "POST", DA + "informed/", {"informed_on": "{today}", "informed_how": "pigeon"}),
    (C, "POST", DA + "informed/", {"informed_on": FAR_FUTURE, "informed_how": "letter"}),
    (C, "POST", DA + "informed/", {"informed_on": FAR_PAST, "informed_how": "letter"}),
    (
        C,
        "POST",
        "/api/v1/cases/{case}/decisions/{other_decision}/informed/",
        {"informed_on": "{today}", "informed_how": "letter"},
    ),
    (C, "POST", DA + "plan/", {"time_plan": "T", "items": ["A"]}),  # the plan exists
    (
        C,
        "POST",
        "/api/v1/cases/{case}/decisions/{bare_decision}/plan/",
        {"time_plan": "T", "items": [""]},
    ),
    (
        C,
        "POST",
        "/api/v1/cases/{case}/decisions/{bare_decision}/plan/",
        {"time_plan": "T", "items": ["x" * 301]},
    ),
    (
        C,
        "POST",
        "/api/v1/cases/{case}/decisions/{bare_decision}/plan/",
        {"time_plan": "T", "items": ["A"] * 31},
    ),
    (
        C,
        "POST",
        "/api/v1/cases/{case}/decisions/{bare_decision}/plan/",
        {"time_plan": "T", "items": "A"},
    ),
    (
        C,
        "POST",
        "/api/v1/cases/{case}/decisions/{bare_decision}/plan/",
        {"time_plan": "T", "expected_end_on": FAR_FUTURE, "items": ["A"]},
    ),
    (C, "PATCH", DA + "plan/items/{item}/", {"met_on": FAR_FUTURE}),
    (C, "PATCH", DA + "plan/items/{item}/", {"met_on": FAR_PAST}),
    (C, "PATCH", DA + "plan/items/{item}/", {"met_on": "igår"}),
    (C, "PATCH", DA + "plan/items/{other_item}/", {"met_on": "{today}"}),
    (C, "PATCH", DA + "plan/items/{unknown}/", {"met_on": "{today}"}),
    (B, "POST", DA + "log/", {"performed_on": "{today}", "minutes": 0, "category": "other"}),
    (B, "POST", DA + "log/", {"performed_on": "{today}", "minutes": 1441, "category": "other"}),
    (B, "POST", DA + "log/", {"performed_on": "{today}", "minutes": "lång", "category": "other"}),
    (B, "POST", DA + "log/", {"performed_on": "{today}", "minutes": 30, "category": "magic"}),
    (B, "POST", DA + "log/", {"performed_on": FAR_FUTURE, "minutes": 30, "category": "other"}),
    (B, "POST", DA + "log/", {"performed_on": FAR_PAST, "minutes": 30, "category": "other"}),
    (
        B,
        "POST",
        DA + "log/",
        {"performed_on": "{today}", "minutes": 30, "category": "other", "note": LONG},
    ),
    (B, "POST", DA + "log/", MALFORMED),
    (C, "POST", DA + "follow-ups/", {}),
    (C, "POST", DA + "follow-ups/", {"held_on": FAR_FUTURE, "participants": "P", "notes": "N"}),
    (
        C,
        "POST",
        DA + "follow-ups/",
        {"held_on": "{today}", "participants": "P", "notes": "N", "next_follow_up_on": FAR_FUTURE},
    ),
    (
        C,
        "POST",
        DA + "follow-ups/",
        {
            "held_on": "{today}",
            "participants": "P",
            "notes": "N",
            "next_follow_up_on": "2000-01-01",
        },
    ),
    (C, "POST", DA + "end/", {"ended_on": "{today}", "reason": "checklist_met"}),  # not met
    (C, "POST", DA + "end/", {"ended_on": "{today}", "reason": "bored"}),
    (C, "POST", DA + "end/", {"ended_on": FAR_FUTURE, "reason": "moved"}),
    (C, "POST", DA + "end/", {"ended_on": FAR_PAST, "reason": "moved"}),
    (
        C,
        "POST",
        "/api/v1/cases/{case}/decisions/{other_decision}/end/",
        {"ended_on": "{today}", "reason": "moved"},
    ),
]

DECISION_PAGES = [
    (C, "POST", "/arenden/{case}/beslut/", {}),
    (C, "POST", "/arenden/{case}/beslut/", DECISION),
    (C, "POST", "/arenden/{case}/beslut/", DECISION | {"provider": "", "applied_on": FAR_FUTURE}),
    (C, "POST", "/arenden/{case}/beslut/", DECISION | {"provider": "", "reasons": LONG}),
    (
        C,
        "POST",
        "/arenden/{case}/beslut/",
        DECISION | {"provider": "", "supersedes": "{other_decision}"},
    ),
    (C, "POST", D + "underrattad/", {"informed_on": "{today}", "informed_how": "pigeon"}),
    (C, "POST", D + "underrattad/", {"informed_on": FAR_FUTURE, "informed_how": "letter"}),
    (C, "POST", D + "plan/", {"time_plan": "T", "items": "A"}),  # the plan exists
    (C, "POST", "/arenden/{case}/beslut/{bare_decision}/plan/", {"time_plan": "", "items": ""}),
    (
        C,
        "POST",
        "/arenden/{case}/beslut/{bare_decision}/plan/",
        {"time_plan": "T", "items": "x" * 301},
    ),
    (
        C,
        "POST",
        "/arenden/{case}/beslut/{bare_decision}/plan/",
        {"time_plan": "T", "items": "\n".join(["A"] * 31)},
    ),
    (C, "POST", D + "plan/punkter/", {"label": ""}),
    (C, "POST", D + "plan/punkter/", {"label": LONG}),
    (C, "POST", D + "plan/punkter/{item}/", {"met": "1", "met_on": FAR_FUTURE}),
    (C, "POST", D + "plan/punkter/{item}/", {"met": "1", "met_on": "igår"}),
    (C, "POST", D + "plan/punkter/{other_item}/", {"met": "1", "met_on": "{today}"}),
    (B, "POST", D + "logg/", {"performed_on": "{today}", "minutes": "-5", "category": "other"}),
    (B, "POST", D + "logg/", {"performed_on": "{today}", "minutes": "30", "category": "magic"}),
    (B, "POST", D + "logg/", {"performed_on": FAR_FUTURE, "minutes": "30", "category": "other"}),
    (
        B,
        "POST",
        D + "logg/",
        {
            "performed_on": "{today}",
            "minutes": "30",
            "category": "other",
            "note": LONG,
            "next": "queue",
        },
    ),
    (
        B,
        "POST",
        "/arenden/{case}/beslut/{other_decision}/logg/",
        {"performed_on": "{today}", "minutes": "30", "category": "other"},
    ),
    (C, "POST", D + "uppfoljningar/", {}),
    (C, "POST", D + "uppfoljningar/", {"held_on": FAR_FUTURE, "participants": "P", "notes": "N"}),
    (C, "POST", D + "avsluta/", {"ended_on": "{today}", "reason": "checklist_met"}),
    (C, "POST", D + "avsluta/", {"ended_on": "{today}", "reason": "bored"}),
    (C, "POST", D + "avsluta/", {"ended_on": FAR_PAST, "reason": "moved"}),
    (C, "GET", D + "avsluta/", {}),
]

H = "/arenden/{case}/bostad/"
HA = "/api/v1/cases/{case}/housing-tasks/"
V1 = {"lock_version": 1}  # the version as loaded, so the bad value itself is refused
HOUSING = [
    # Starting again only adds missing tasks (none here): idempotent, so not bad input.
    (C, "POST", "/arenden/{unknown}/bostad/starta/", {}),
    (B, "POST", H + "{task}/status/", V1 | {"status": "teleported"}),
    (B, "POST", H + "{task}/status/", V1 | {"status": "done", "status_date": FAR_FUTURE}),
    (B, "POST", H + "{task}/status/", V1 | {"status": "done", "status_date": FAR_PAST}),
    (B, "POST", H + "{task}/status/", V1 | {"status": "done", "note": LONG}),
    (B, "POST", H + "{other_task}/status/", V1 | {"status": "done"}),
    (C, "POST", "/api/v1/cases/{unknown}/housing-tasks/", {}),
    (B, "PATCH", HA + "{task}/", V1 | {"status": "teleported"}),
    (B, "PATCH", HA + "{task}/", V1 | {"status": "done", "status_date": FAR_FUTURE}),
    (B, "PATCH", HA + "{task}/", V1 | {"status": "done", "note": LONG}),
    (B, "PATCH", HA + "{task}/", MALFORMED),
    (B, "PATCH", HA + "{other_task}/", V1 | {"status": "done"}),
    (B, "PATCH", HA + "{unknown}/", V1 | {"status": "done"}),
]

E = "/arenden/{case}/etablering/"
EA = "/api/v1/cases/{case}/"
ESTABLISHMENT = [
    (C, "POST", E, {"af_registered_on": FAR_FUTURE}),
    (C, "POST", E, {"sfi_started_on": FAR_PAST}),
    (C, "POST", E, {"programme_ends_on": "{today}"}),  # no start
    (C, "POST", E, {"programme_started_on": "{today}", "programme_ends_on": FAR_FUTURE}),
    (C, "POST", E, {"education_duty": "kanske"}),
    (C, "POST", E, {"af_contact": LONG}),
    (C, "POST", E + "ingangsvarden/", {}),
    (
        C,
        "POST",
        E + "ingangsvarden/",
        {"baseline_on": FAR_FUTURE, "concern_reports_last_year": "0"},
    ),
    (C, "POST", E + "ingangsvarden/", {"baseline_on": FAR_PAST, "concern_reports_last_year": "0"}),
    (
        C,
        "POST",
        E + "ingangsvarden/",
        {"baseline_on": "{today}", "concern_reports_last_year": "101"},
    ),
    (
        C,
        "POST",
        E + "ingangsvarden/",
        {"baseline_on": "{today}", "concern_reports_last_year": "-1"},
    ),
    (C, "POST", E + "utfall/", {"self_sufficient_on": "{today}"}),  # no baseline yet
    (C, "POST", E + "orosanmalningar/", {"received_on": FAR_FUTURE}),
    (C, "POST", E + "orosanmalningar/", {"received_on": FAR_PAST}),
    (C, "POST", E + "orosanmalningar/", {"received_on": "igår"}),
    (C, "PUT", EA + "programme/", MALFORMED),
    (C, "PUT", EA + "programme/", [1]),
    (C, "PUT", EA + "programme/", {"af_registered_on": FAR_FUTURE}),
    (
        C,
        "PUT",
        EA + "programme/",
        {"programme_started_on": "{today}", "programme_ends_on": "2000-01-01"},
    ),
    (C, "PUT", EA + "programme/", {"adaptation_needs": LONG}),
    (C, "PUT", EA + "programme/", {"education_duty": "kanske"}),
    (C, "PUT", EA + "outcome/", {}),
    (
        C,
        "PUT",
        EA + "outcome/",
        {
            "baseline_on": FAR_FUTURE,
            "baseline_self_sufficient": False,
            "baseline_own_lease": False,
            "baseline_concern_reports": 0,
        },
    ),
    (
        C,
        "PUT",
        EA + "outcome/",
        {
            "baseline_on": "{today}",
            "baseline_self_sufficient": False,
            "baseline_own_lease": False,
            "baseline_concern_reports": 101,
        },
    ),
    (
        C,
        "PUT",
        EA + "outcome/",
        {
            "baseline_on": "{today}",
            "baseline_self_sufficient": "ja",
            "baseline_own_lease": False,
            "baseline_concern_reports": 0,
        },
    ),
    (C, "POST", EA + "concern-reports/", {}),
    (C, "POST", EA + "concern-reports/", {"received_on": FAR_FUTURE}),
    (C, "POST", EA + "concern-reports/", {"received_on": FAR_PAST}),
    (C, "POST", EA + "concern-reports/", MALFORMED),
]

TABLE = DECISION_API + DECISION_PAGES + HOUSING + ESTABLISHMENT


def _counts() -> dict[str, int]:
    """Row counts of every model of the three apps and of the audit log (reads aside)."""
    counts = {
        model._meta.label: model._default_manager.count()
        for app in NEW_APPS
        for model in apps.get_app_config(app).get_models()
    }
    counts["audit.AuditEvent"] = (
        AuditEvent.objects.exclude(action__endswith=".viewed")
        .exclude(action__endswith=".listed")
        .count()
    )
    return counts


def _changed_at() -> dict[str, list[Any]]:
    """Updated-at stamps of the records a bad request could change in place."""
    return {
        "decisions": list(
            SupportDecision.objects.order_by("pk").values_list("updated_at", flat=True)
        ),
        "items": list(PlanItem.objects.order_by("pk").values_list("updated_at", flat=True)),
        "tasks": list(HousingTask.objects.order_by("pk").values_list("updated_at", flat=True)),
    }


def _label(row: tuple[str, str, str, Any]) -> str:
    who, method, url, payload = row
    text = payload if isinstance(payload, str) else json.dumps(payload)
    return f"{who} {method} {url} {text[-70:]}"


@pytest.mark.parametrize(("who", "method", "template", "payload"), TABLE, ids=map(_label, TABLE))
def test_bad_input_is_refused_and_changes_nothing(
    ids: Ids, staff: dict[str, User], who: str, method: str, template: str, payload: Any
) -> None:
    values = ids | {"today": timezone.localdate().isoformat()}
    url = template.format(**values)
    before, stamps = _counts(), _changed_at()
    if method == "GET":  # a write-only endpoint refuses to be read
        client = Client()
        client.force_login(staff[who])
        assert client.get(url).status_code == 405
    else:
        (_api if url.startswith("/api/") else _page)(staff[who], method, url, payload, values)
    assert _counts() == before
    assert _changed_at() == stamps
