"""Demo of support decisions, the settlement unit's housing tasks, the establishment
programme and outcomes, written through the real services after the SIA steps.

The deputy manager decides support for the earliest follow-up case, delivered by the
settlement unit, which has logged work and started the household's housing checklist.
Every case past the first visit gets outcome baselines and programme dates; some have
not started SFI, so "Mitt arbete" shows the programme alert.
"""

import datetime as dt

from sia.accounts.models import Unit, User
from sia.audit.models import Channel
from sia.cases.models import Case
from sia.decisions import services as decisions
from sia.decisions.models import ProviderLogEntry, SupportDecision
from sia.establishment import services as establishment
from sia.settlement import services as settlement
from sia.settlement.models import HousingTask

SYSTEM = Channel.SYSTEM


def _decide(case: Case, staff: dict[str, User], today: dt.date) -> None:
    start = max(case.first_contact_date, today - dt.timedelta(days=20))
    decision = decisions.make_decision(
        actor=staff["chef"],
        case_id=case.pk,
        applied_for="Socialt och praktiskt stöd i vardagen under etableringen.",
        applied_on=start,
        outcome=SupportDecision.Outcome.GRANTED,
        decided_support="Stöd från bosättningsenheten: samhällsinformation, budgetrådgivning "
        "och följeslagning till myndigheter, i tre månader.",
        legal_basis=SupportDecision.LegalBasis.SOL_4_1,
        reasons="Familjen är ny i kommunen och behöver stöd för att klara vardagen själv.",
        provider_id=Unit.objects.get(name="Bosättningsenheten").pk,
        valid_from=start,
        valid_until=start + dt.timedelta(days=90),
        appeal_notice="",
        decided_on=start,
        channel=SYSTEM,
    )
    decisions.record_informed(
        actor=staff["chef"],
        decision_id=decision.pk,
        informed_on=start,
        informed_how=SupportDecision.InformedHow.MEETING,
        channel=SYSTEM,
    )
    plan = decisions.make_plan(
        actor=staff["chef"],
        decision_id=decision.pk,
        time_plan="Tät kontakt de första fyra veckorna, sedan varannan vecka.",
        expected_end_on=start + dt.timedelta(days=90),
        items=[
            "Betalar hyra och räkningar i tid",
            "Bokar och tar sig till vårdbesök själv",
            "Har kontakt med Försäkringskassan om barnbidrag",
        ],
        channel=SYSTEM,
    )
    decisions.mark_item(
        actor=staff["chef"],
        item_id=plan.items.order_by("order").first().pk,  # type: ignore[union-attr]
        met_on=today,
        channel=SYSTEM,
    )
    for days_ago, minutes, category in (
        (10, 90, ProviderLogEntry.Category.BUDGET_ADVICE),
        (6, 120, ProviderLogEntry.Category.ACCOMPANY_FK),
        (2, 45, ProviderLogEntry.Category.PHONE_HELP),
    ):
        decisions.log_work(
            actor=staff["bosattning"],
            decision_id=decision.pk,
            performed_on=max(start, today - dt.timedelta(days=days_ago)),
            minutes=minutes,
            category=category,
            note="",
            channel=SYSTEM,
        )
    tasks = settlement.start_checklist(actor=staff["bosattning"], case_id=case.pk, channel=SYSTEM)
    for task in tasks[:3]:
        settlement.set_task_status(
            actor=staff["bosattning"],
            case_id=case.pk,
            task_id=task.pk,
            status=HousingTask.Status.DONE,
            status_date=today,
            note="",
            channel=SYSTEM,
        )


def _programme(case: Case, staff: dict[str, User], today: dt.date, *, sfi: bool) -> None:
    plan_day = max(case.first_contact_date, today - dt.timedelta(weeks=6))
    establishment.save_programme(
        actor=staff["socsek"],
        case_id=case.pk,
        data=establishment.ProgrammeInput(
            af_registered_on=plan_day,
            programme_started_on=plan_day,
            programme_ends_on=plan_day + dt.timedelta(days=730),
            action_plan_on=plan_day,
            sfi_started_on=plan_day + dt.timedelta(days=14) if sfi else None,
            education_duty=not sfi,
            af_contact="Alva Förmedlare, Arbetsförmedlingen",
        ),
        channel=SYSTEM,
    )
    establishment.record_baseline(
        actor=staff["socsek"],
        case_id=case.pk,
        baseline_on=case.first_contact_date,
        self_sufficient=False,
        own_lease=False,
        concern_reports_last_year=0,
        channel=SYSTEM,
    )


def seed_support(staff: dict[str, User], today: dt.date) -> None:
    """Add decisions, housing tasks, programme status and outcomes to the demo cases."""
    cases = list(
        Case.objects.filter(stage__in=(Case.Stage.PLAN, Case.Stage.FOLLOW_UP))
        .select_related("person")
        .order_by("first_contact_date", "created_at")
    )
    if not cases:
        return
    _decide(cases[0], staff, today)
    for number, case in enumerate(cases):
        _programme(case, staff, today, sfi=number % 3 != 1)
