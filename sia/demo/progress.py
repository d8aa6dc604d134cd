"""Walk a demo case through the SIA steps with the real services, up to its stage.

Every record is written by the service a user would use, so the demo's cases have
steps, documents, meetings, first visits, plans and an audit trail like real ones.
Only the step completion times are moved back afterwards to the days the work would
have been done, so due dates and lateness look like a running unit's.
"""

import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from sia.accounts.models import User
from sia.audit.models import Channel
from sia.cases.models import Case
from sia.meetings.alignment import AlignmentInput, record_alignment
from sia.meetings.first_visit import record_first_visit
from sia.meetings.guidance import GuidanceBooking, book_guidance_meeting, record_guidance_meeting
from sia.meetings.models import DocumentRequest
from sia.plans.services import ActivityInput, agree_plan, propose_plan
from sia.process import services as process
from sia.process.models import CaseStep, CatalogueItem
from sia.process.workdays import add_working_days, working_day_number

Stage = Case.Stage
SYSTEM = Channel.SYSTEM
# The order cases move through; a case at a stage has done everything before it.
ORDER = (
    Stage.INTAKE,
    Stage.ALIGNMENT,
    Stage.GUIDANCE,
    Stage.FIRST_VISIT,
    Stage.PLAN,
    Stage.FOLLOW_UP,
    Stage.ASSESSMENT,
    Stage.CLOSED,
)
ANSWERS = {
    "boende": "Bor i andrahand hos släkting, behöver bostadsvägledning.",
    "familj": "Hushållet enligt registrerade anhöriga.",
    "halsa": "Inga kända hinder för heltidsaktiviteter.",
    "utbildning": "Gymnasieutbildning i hemlandet. Anmäld till SFI.",
    "arbete": "Flera års arbete inom handel.",
    "stodbehov": "Vill ha stöd att förstå ersättningarna och hitta bostad.",
}


def _reached(stage: str, target: str) -> bool:
    return ORDER.index(Stage(target)) <= ORDER.index(Stage(stage))


def _at(day: dt.date, hour: int) -> dt.datetime:
    """A time on the day, but never later than an hour ago (records may not be in the future)."""
    moment = dt.datetime.combine(day, dt.time(hour), tzinfo=ZoneInfo(settings.TIME_ZONE))
    return min(moment, timezone.now() - dt.timedelta(hours=1))


def _items(catalogue: str) -> list[CatalogueItem]:
    return list(CatalogueItem.objects.filter(catalogue__key=catalogue, is_active=True))


def _allocate(case: Case, guides: Sequence[User], staff: dict[str, User]) -> None:
    process.allocate_case(
        case_id=case.pk,
        guides=guides,
        social_worker=staff["socsek"],
        allocated_by=staff["chef"],
        channel=SYSTEM,
    )


def _align(case: Case, guide: User, staff: dict[str, User], today: dt.date) -> dt.datetime:
    held_on = min(working_day_number(case.first_contact_date, 2), today)
    first_visit_on = add_working_days(case.first_contact_date, 13)
    first_visit_at = dt.datetime.combine(
        max(first_visit_on, held_on), dt.time(10), tzinfo=ZoneInfo(settings.TIME_ZONE)
    )
    record_alignment(
        case_id=case.pk,
        data=AlignmentInput(
            held_on=held_on,
            document_item_ids=[item.pk for item in _items("sia-documents")[:7]],
            info_for_guide="Gå igenom listan över handlingar och ansökan om ersättningar.",
            first_visit_at=first_visit_at,
            standby_guide_id=guide.pk,
        ),
        recorded_by=staff["socsek"],
        channel=SYSTEM,
    )
    _move_completion(case, "alignment", held_on)
    return first_visit_at


def _guide(case: Case, guide: User, person_language: str, needs_interpreter: bool) -> None:
    day = add_working_days(case.first_contact_date, 6)
    meeting = book_guidance_meeting(
        case_id=case.pk,
        booking=GuidanceBooking(
            guide_id=guide.pk,
            starts_at=_at(day, 13),
            place="Medborgarkontoret, rum 2",
            interpreter_needed=needs_interpreter,
            interpreter_language=person_language if needs_interpreter else "",
        ),
        booked_by=guide,
        channel=SYSTEM,
    )
    record_guidance_meeting(
        case_id=case.pk,
        meeting_id=meeting.pk,
        covered_topics=[item.key for item in _items("sia-guidance-info")],
        notes="Personen har fått listan förklarad och vet var handlingarna hämtas.",
        recorded_by=guide,
        channel=SYSTEM,
    )
    _move_completion(case, "guidance_meeting", timezone.localtime(meeting.starts_at).date())


def _visit(case: Case, first_visit_at: dt.datetime, staff: dict[str, User]) -> None:
    held_at = _at(timezone.localtime(first_visit_at).date(), 10)
    received = DocumentRequest.objects.filter(case=case).values_list("item_id", flat=True)[:4]
    record_first_visit(
        case_id=case.pk,
        held_at=held_at,
        answers=ANSWERS,
        continuing_support_need=True,
        notes="Samhällsvägledaren kallades in och SIA-planen gicks igenom.",
        received_document_ids=list(received),
        recorded_by=staff["socsek"],
        channel=SYSTEM,
    )
    _move_completion(case, "first_visit", timezone.localtime(held_at).date())


def _plan(case: Case, guide: User, staff: dict[str, User], *, agree: bool, on: dt.date) -> None:
    activities = _items("sia-activities")
    plan = propose_plan(
        case_id=case.pk,
        proposed_by=staff["socsek"],
        channel=SYSTEM,
        guidance_needs="Förstärkt bostadsvägledning.",
        activities=[
            ActivityInput(
                catalogue_item_id=activities[1].pk,
                responsible="Biblioteket i Demostad",
                start_date=on,
                target_date=on + dt.timedelta(days=90),
            ),
            ActivityInput(
                catalogue_item_id=activities[4].pk,
                responsible_user_id=guide.pk,
                start_date=on,
                target_date=on + dt.timedelta(days=60),
            ),
        ],
    )
    if agree:
        agree_plan(
            case_id=case.pk,
            plan_id=plan.pk,
            agreed_by=staff["socsek"],
            channel=SYSTEM,
            expected_version=plan.lock_version,
        )
        _move_completion(case, "sia_plan", on)


def _move_completion(case: Case, key: str, day: dt.date) -> None:
    """Put a step's completion on the day the work was done (the service stamped today)."""
    CaseStep.objects.filter(case=case, key=key, status=CaseStep.Status.DONE).update(
        completed_at=_at(day, 15), completed_on=day
    )


def advance_case(
    *,
    case: Case,
    stage: str,
    guides: Sequence[User],
    staff: dict[str, User],
    today: dt.date,
) -> None:
    """Take a freshly opened case through the steps that a case at `stage` has done."""
    if stage == Stage.INTAKE:
        return
    _allocate(case, guides, staff)
    _move_completion(case, "allocation", working_day_number(case.first_contact_date, 1))
    guide = guides[0]
    if _reached(stage, Stage.GUIDANCE):
        first_visit_at = _align(case, guide, staff, today)
    if _reached(stage, Stage.FIRST_VISIT):
        person = case.person
        _guide(case, guide, person.interpreter_language, person.interpreter_needed)
    if _reached(stage, Stage.PLAN):
        _visit(case, first_visit_at, staff)
        _plan(
            case,
            guide,
            staff,
            agree=_reached(stage, Stage.FOLLOW_UP),
            on=timezone.localtime(first_visit_at).date(),
        )
    if stage == Stage.ASSESSMENT:  # closed demo cases end from follow-up, not via UG
        process.transfer_case(
            case_id=case.pk,
            assessment_worker=staff["ug"],
            transferred_by=staff["socsek"],
            channel=SYSTEM,
        )
    process.refresh_due_dates(case_id=case.pk, actor=staff["chef"], channel=SYSTEM)
