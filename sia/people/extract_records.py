"""The records of a register extract (see `sia.people.extract`), gathered app by app.

Each section is one kind of record; each record a list of fields labelled with the
model's verbose names. A field spec is a model field name (rendered generically: choices
by label, staff by role and unit, related records by their name) or a ready
`ExtractField` for values that need a lookup (answers, languages, data kinds).
"""

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any
from uuid import UUID

from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext

from sia.accounts.models import Membership, Role, User
from sia.assessments import models as assessments
from sia.assessments.kinds import TALK_CATALOGUES
from sia.assessments.selectors import labelled_answers, talk_labels
from sia.audit.models import AuditAction, AuditEvent, Channel
from sia.cases.models import Case, CaseTeamMember
from sia.collaboration import models as collaboration
from sia.consent.models import Consent, DataKind, Disclosure
from sia.decisions import models as decisions
from sia.establishment import models as establishment
from sia.groups.models import Attendance, GroupEnrolment
from sia.journal.models import JournalEntry, Objection
from sia.meetings import models as meetings
from sia.meetings.selectors_first_visit import with_answer_labels
from sia.people.models import HouseholdLink, Language, Person, PersonIdentifier
from sia.plans.models import PlanActivity, SiaPlan
from sia.process.models import CaseStep, Catalogue, CatalogueItem
from sia.settlement.models import HousingTask
from sia.teamwork.models import Consultation, TeamTask

Value = str | int | bool | dt.date | dt.datetime | list[str] | None


@dataclass(frozen=True)
class ExtractField:
    """One labelled value; `key` is the field's stable name for machines."""

    key: str
    label: str
    value: Value


@dataclass(frozen=True)
class ExtractRecord:
    title: str
    fields: tuple[ExtractField, ...]


@dataclass(frozen=True)
class ExtractSection:
    key: str
    title: str
    records: tuple[ExtractRecord, ...]


Spec = Sequence[str | ExtractField]
SpecOf = Spec | Callable[[Any], Spec]


def gather_sections(person: Person, cases: Sequence[Case]) -> tuple[ExtractSection, ...]:
    """Return every section of the person's extract, in the order the extract shows them."""
    return tuple(_Gatherer(person, cases).sections())


def has_value(value: Value) -> bool:
    return value is not None and value != "" and value != []


def _plain(raw: object) -> Value:
    if raw is None or isinstance(raw, str | int | bool):
        return raw
    if isinstance(raw, dt.datetime):
        return timezone.localtime(raw) if timezone.is_aware(raw) else raw
    if isinstance(raw, dt.date):
        return raw
    raise TypeError(f"No extract value for {type(raw).__name__}")


def _label(model: type[models.Model] | models.Model, name: str) -> str:
    return capfirst(str(_model_field(model, name).verbose_name))


def _model_field(model: type[models.Model] | models.Model, name: str) -> "models.Field[Any, Any]":
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{name} is not a field of its own")
    return field


def _spec(*items: str | ExtractField) -> Spec:
    return items


def _title(model: type[models.Model], *parts: object) -> str:
    words = [capfirst(str(model._meta.verbose_name))]
    return " ".join(words + [str(part) for part in parts if part not in (None, "")])


def _day(value: dt.date | dt.datetime | None) -> str:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date().isoformat()
    return value.isoformat() if value else ""


def _labels(model: models.Model, name: str, keys: Iterable[str], names: Any) -> ExtractField:
    """A list of keys (JSON field) shown by their labels."""
    labels = dict(names)
    return ExtractField(name, _label(model, name), [str(labels.get(key, key)) for key in keys])


def _choice(model: models.Model, name: str, key: str, names: Any) -> ExtractField:
    """One key (a field without choices of its own) shown by its label."""
    return ExtractField(name, _label(model, name), str(dict(names).get(key, key)))


def _answers(obj: models.Model, answers: Iterable[tuple[str, str]]) -> ExtractField:
    lines = [f"{question}: {answer}" for question, answer in answers if answer]
    return ExtractField("answers", _label(obj, "answers"), lines)


class _Staff(str):
    """Stands in for a member of staff until every record is read; see `_Gatherer.named`."""

    user_id: UUID

    def __new__(cls, user_id: UUID) -> "_Staff":
        staff = super().__new__(cls, str(user_id))
        staff.user_id = user_id
        return staff


class _Gatherer:
    """Reads one person's records; one instance per extract."""

    def __init__(self, person: Person, cases: Sequence[Case]) -> None:
        self.person = person
        self.cases = {case.pk: case for case in cases}
        self.mine = Q(case_id__in=list(self.cases))

    # Plumbing ----------------------------------------------------------------------

    def named(self, sections: list[ExtractSection]) -> list[ExtractSection]:
        """Name every member of staff in the sections by role and unit, as the audit trail
        does, reading the memberships of all of them at once."""
        wanted = {
            field.value.user_id
            for section in sections
            for record in section.records
            for field in record.fields
            if isinstance(field.value, _Staff)
        }
        roles: dict[UUID, list[str]] = {user_id: [] for user_id in wanted}
        memberships = Membership.objects.filter(user_id__in=wanted).select_related(
            "unit__organisation"
        )
        for m in memberships:
            roles[m.user_id].append(f"{m.get_role_display()}, {m.unit}")
        names = {user_id: "; ".join(r) or gettext("Medarbetare") for user_id, r in roles.items()}

        def name(field: ExtractField) -> ExtractField:
            if isinstance(field.value, _Staff):
                return replace(field, value=names[field.value.user_id])
            return field

        return [
            replace(
                section,
                records=tuple(
                    replace(record, fields=tuple(name(field) for field in record.fields))
                    for record in section.records
                ),
            )
            for section in sections
        ]

    def field(self, obj: models.Model, name: str) -> ExtractField:
        field = _model_field(obj, name)
        label = capfirst(str(field.verbose_name))
        if isinstance(field, models.ManyToManyField):
            return ExtractField(name, label, [str(item) for item in getattr(obj, name).all()])
        if isinstance(field, models.ForeignKey):
            return ExtractField(name, label, self._related(obj, field))
        raw = getattr(obj, field.attname)
        if field.choices and raw not in ("", None):
            return ExtractField(name, label, str(dict(field.flatchoices).get(raw, raw)))
        return ExtractField(name, label, _plain(raw))

    def _related(self, obj: models.Model, field: "models.ForeignKey[Any, Any]") -> str | None:
        pk = getattr(obj, field.attname)
        if pk is None:
            return None
        if field.related_model is User:
            return _Staff(pk)
        if field.related_model is Case and pk in self.cases:
            return str(self.cases[pk])
        return str(getattr(obj, field.name))

    def record(self, obj: models.Model, title: str, spec: Spec) -> ExtractRecord:
        fields = [
            item if isinstance(item, ExtractField) else self.field(obj, item) for item in spec
        ]
        return ExtractRecord(title, tuple(f for f in fields if has_value(f.value)))

    def section(
        self,
        key: str,
        rows: "models.QuerySet[Any]",
        spec: SpecOf,
        title: Callable[[Any], str] = str,
    ) -> ExtractSection:
        """One section: a record per row, titled by `title`, with the fields of `spec`."""
        records = tuple(
            self.record(row, capfirst(title(row)), spec(row) if callable(spec) else spec)
            for row in rows
        )
        name = capfirst(str(rows.model._meta.verbose_name_plural))
        return ExtractSection(key, name, records)

    def sections(self) -> list[ExtractSection]:
        return self.named(self._sections())

    def _sections(self) -> list[ExtractSection]:
        return [
            self._person(),
            *self._cases(),
            *self._sia_steps(),
            *self._journal(),
            *self._consents(),
            *self._teamwork(),
            *self._meetings(),
            *self._assessments(),
            *self._groups(),
            *self._support(),
            *self._establishment(),
            self._audit(),
        ]

    # The person ------------------------------------------------------------------

    def _person(self) -> ExtractSection:
        person = self.person
        languages = ExtractField("preferred_languages", gettext("Språk"), person.language_names)
        own = self.record(person, person.full_name, [*_PERSON[:7], languages, *_PERSON[7:]])
        identifiers = [
            self.record(
                identifier,
                identifier.get_kind_display(),
                [
                    "kind",
                    ExtractField("value", _label(identifier, "value"), identifier.formatted),
                    "valid_from",
                    "valid_to",
                    "created_at",
                ],
            )
            for identifier in PersonIdentifier.objects.filter(person=person).order_by("created_at")
        ]
        records = (own, *identifiers, *self._household())
        return ExtractSection("person", gettext("Personuppgifter"), records)

    def _household(self) -> list[ExtractRecord]:
        links = HouseholdLink.objects.filter(Q(person=self.person) | Q(relative=self.person))
        records = []
        for link in links.select_related("person", "relative").order_by("created_at"):
            forward = link.person_id == self.person.pk
            relative = link.relative if forward else link.person
            relation = link.get_relation_display() if forward else _inverse(link.relation)
            name = relative.full_name
            if relative.protected_identity:
                name = gettext("Lämnas inte ut (skyddade personuppgifter)")
            fields = (
                ExtractField("relation", gettext("Relation"), str(relation)),
                ExtractField("relative", gettext("Anhörig"), name),
                ExtractField("created_at", gettext("Registrerad"), _plain(link.created_at)),
            )
            records.append(ExtractRecord(_title(HouseholdLink, relation), fields))
        return records

    # Cases, steps and the SIA step records ----------------------------------------------

    def _cases(self) -> list[ExtractSection]:
        team = CaseTeamMember.objects.filter(self.mine).select_related("unit__organisation")
        return [
            self.section(
                "cases",
                Case.objects.filter(pk__in=list(self.cases)).order_by(
                    "first_contact_date", "created_at"
                ),
                _CASE,
            ),
            self.section(
                "case_team",
                team.order_by("created_at"),
                ["case", "role", "function", "unit", "created_at", "left_at", "added_by"],
                lambda m: f"{m.get_role_display()}, {m.unit.name}",
            ),
        ]

    def _sia_steps(self) -> list[ExtractSection]:
        steps = CaseStep.objects.filter(self.mine).select_related("definition")
        information = CatalogueItem.objects.filter(catalogue__kind=Catalogue.Kind.INFORMATION)
        topics = information.values_list("key", "label")
        visits = (
            meetings.FirstVisit.objects.filter(self.mine)
            .select_related("supersedes")
            .order_by("signed_at")
        )
        answers = {visit.pk: rows for visit, rows in with_answer_labels(visits)}
        return [
            self.section(
                "case_steps",
                steps.order_by("case__created_at", "order"),
                _STEP,
                lambda step: step.title,
            ),
            self.section(
                "alignments",
                meetings.Alignment.objects.filter(self.mine)
                .select_related("supersedes")
                .order_by("signed_at"),
                ["case", *_ALIGNMENT, *_SIGNED],
            ),
            self.section(
                "document_requests",
                meetings.DocumentRequest.objects.filter(self.mine)
                .select_related("item")
                .order_by("created_at"),
                ["case", "item", "status", "status_date"],
                lambda d: d.item.label,
            ),
            self.section(
                "referrals",
                meetings.Referral.objects.filter(self.mine)
                .select_related("to_unit__organisation")
                .order_by("created_at"),
                _REFERRAL,
                lambda r: r.need.splitlines()[0][:80],
            ),
            self.section(
                "guidance_meetings",
                meetings.GuidanceMeeting.objects.filter(self.mine).order_by("starts_at"),
                lambda g: _spec(
                    *_GUIDANCE,
                    _labels(g, "covered_topics", g.covered_topics, topics),
                    *("notes", "recorded_by", "recorded_at"),
                ),
            ),
            self.section(
                "first_visits",
                visits,
                lambda v: _spec(
                    "case",
                    "held_at",
                    _answers(v, answers[v.pk]),
                    *("continuing_support_need", "notes", *_SIGNED),
                ),
            ),
            self.section(
                "guide_calls",
                meetings.GuideCall.objects.filter(self.mine).order_by("created_at"),
                ["case", "guide", "called_by", "message", "answer", "answered_at", "created_at"],
                lambda c: _title(meetings.GuideCall, _day(c.created_at)),
            ),
            self.section(
                "sia_plans", SiaPlan.objects.filter(self.mine).order_by("created_at"), _SIA_PLAN
            ),
            self.section(
                "plan_activities",
                PlanActivity.objects.filter(plan__case_id__in=list(self.cases))
                .select_related("plan", "catalogue_item")
                .order_by("plan__created_at", "order", "created_at"),
                _ACTIVITY,
                lambda a: a.name,
            ),
        ]

    def _journal(self) -> list[ExtractSection]:
        entries = JournalEntry.objects.filter(self.mine).select_related(
            "author_unit__organisation", "corrects"
        )
        objections = Objection.objects.filter(entry__case_id__in=list(self.cases))
        return [
            # The author by the role and unit they wrote in, as the note itself records.
            self.section(
                "journal_entries",
                entries.order_by("case__created_at", "number"),
                _JOURNAL,
                lambda e: f"{e} ({_day(e.occurred_at)})",
            ),
            self.section(
                "journal_objections",
                objections.select_related("entry").order_by("entry__number", "recorded_at"),
                ["entry", "text", "received_as", "received_on", "recorded_by", "recorded_at"],
            ),
        ]

    # Consent and disclosures -------------------------------------------------------

    def _consents(self) -> list[ExtractSection]:
        consents = Consent.objects.filter(person=self.person).prefetch_related(
            "recipient_organisations", "recipient_units__organisation"
        )
        disclosures = Disclosure.objects.filter(person=self.person).select_related(
            "organisation", "consent"
        )
        return [
            self.section(
                "consents",
                consents.order_by("given_on", "created_at"),
                lambda c: _spec(
                    *_CONSENT_HEAD,
                    _labels(c, "data_kinds", c.data_kinds, DataKind.choices),
                    *_CONSENT_TAIL,
                ),
            ),
            self.section(
                "disclosures",
                disclosures.order_by("occurred_at", "id"),
                lambda d: _spec(*_DISCLOSURE, _choice(d, "channel", d.channel, Channel.choices)),
                lambda d: _title(Disclosure, _day(d.occurred_at)),
            ),
        ]

    # Team work and meetings across organisations --------------------------------------

    def _teamwork(self) -> list[ExtractSection]:
        tasks = TeamTask.objects.filter(self.mine).select_related("owner_organisation")
        return [
            self.section("team_tasks", tasks.order_by("created_at"), _TASK),
            self.section(
                "consultations",
                Consultation.objects.filter(self.mine).order_by("created_at"),
                _CONSULTATION,
                lambda c: _title(Consultation, _day(c.created_at)),
            ),
        ]

    def _meetings(self) -> list[ExtractSection]:
        own = collaboration.Meeting.objects.filter(self.mine)
        meetings_of_case = own.select_related("unit__organisation", "consent", "follow_up_of")
        parties = collaboration.MeetingParty.objects.filter(meeting__in=own)
        bookings = collaboration.InterpreterBooking.objects.filter(meeting__in=own)
        # A case review is about many cases: only this case's agenda item is the person's.
        items = collaboration.AgendaItem.objects.filter(
            self.mine | Q(meeting__in=own, case__isnull=True)
        )
        return [
            self.section(
                "collaboration_meetings",
                meetings_of_case.order_by("starts_at"),
                lambda m: _spec(
                    *_MEETING_HEAD,
                    _labels(m, "life_areas", m.life_areas, _LIFE_AREAS),
                    *_MEETING_TAIL,
                ),
            ),
            self.section(
                "meeting_parties",
                parties.select_related("meeting", "organisation").order_by(
                    "meeting__starts_at", "created_at"
                ),
                _party_spec,
                _party_title,
            ),
            self.section(
                "interpreter_bookings",
                bookings.select_related("meeting").order_by("meeting__starts_at"),
                _INTERPRETER,
            ),
            self.section(
                "agenda_items",
                items.select_related("meeting").order_by("meeting__starts_at", "order"),
                ["meeting", "case", "topic", "decision"],
                lambda i: i.topic,
            ),
        ]

    # Assessments, groups, support, settlement, establishment ----------------------------

    def _assessments(self) -> list[ExtractSection]:
        talks = assessments.AssessmentTalk.objects.filter(self.mine).select_related("supersedes")
        labels = {kind: talk_labels(kind) for kind in TALK_CATALOGUES}
        steps = assessments.FuturePlanStep.objects.filter(plan__case_id__in=list(self.cases))
        return [
            self.section(
                "assessment_talks",
                talks.order_by("held_on", "signed_at"),
                lambda t: _spec(
                    *("case", "kind", "held_on"),
                    _answers(t, labelled_answers(t, labels[t.kind])),
                    *("summary", "participants", *_SIGNED),
                ),
            ),
            self.section(
                "future_plans",
                assessments.FuturePlan.objects.filter(self.mine).order_by("created_at"),
                _FUTURE_PLAN,
            ),
            self.section(
                "future_plan_steps",
                steps.select_related("plan").order_by("plan__created_at", "order"),
                ["plan", "step", "why", "by_when"],
            ),
            self.section(
                "postponed_topics",
                assessments.PostponedTopic.objects.filter(self.mine).order_by("postponed_on"),
                _POSTPONED,
            ),
            self.section(
                "barriers",
                assessments.Barrier.objects.filter(self.mine).order_by("noted_on"),
                _BARRIER,
            ),
            self.section(
                "progress_steps",
                assessments.ProgressStep.objects.filter(self.mine).order_by("occurred_on"),
                ["case", "category", "kind", "occurred_on", "note", "recorded_by"],
            ),
            self.section(
                "enrolments",
                assessments.Enrolment.objects.filter(self.mine).order_by("started_on"),
                _ENROLMENT,
            ),
        ]

    def _groups(self) -> list[ExtractSection]:
        enrolments = GroupEnrolment.objects.filter(self.mine).select_related("series")
        attendance = Attendance.objects.filter(enrolment__case_id__in=list(self.cases))
        return [
            self.section(
                "group_enrolments",
                enrolments.order_by("created_at"),
                lambda e: _spec(
                    *("series", "case", "status", "preferred_run"),
                    _choice(e, "interpreter_language", e.interpreter_language, Language.choices),
                    *("decided_on", "changed_by"),
                ),
                lambda e: e.series.title,
            ),
            self.section(
                "attendance",
                attendance.select_related("session__series").order_by("session__held_on"),
                lambda a: _spec(
                    ExtractField("held_on", gettext("Datum"), a.session.held_on),
                    *("session", "run", "present", "wants_follow_up", "recorded_by"),
                ),
                lambda a: f"{a.session.series.title}: {a.session}",
            ),
        ]

    def _support(self) -> list[ExtractSection]:
        ordered = Q(decision__case_id__in=list(self.cases))
        items = decisions.PlanItem.objects.filter(plan__decision__case_id__in=list(self.cases))
        return [
            self.section(
                "support_decisions",
                decisions.SupportDecision.objects.filter(self.mine)
                .select_related("provider__organisation", "supersedes")
                .order_by("decided_on", "signed_at"),
                _DECISION,
                lambda d: _title(decisions.SupportDecision, d),
            ),
            self.section(
                "support_plans",
                decisions.SupportPlan.objects.filter(ordered).select_related("decision"),
                ["decision", "time_plan", "expected_end_on", "created_by", "created_at"],
            ),
            self.section(
                "support_plan_items",
                items.select_related("plan__decision").order_by("plan__created_at", "order"),
                lambda i: _spec(
                    ExtractField("decision", gettext("Beslut"), str(i.plan.decision)),
                    *("label", "met_on", "marked_by"),
                ),
            ),
            self.section(
                "provider_log",
                decisions.ProviderLogEntry.objects.filter(ordered)
                .select_related("decision")
                .order_by("performed_on", "created_at"),
                ["decision", "performed_on", "minutes", "category", "note", "logged_by"],
                lambda e: f"{e.performed_on.isoformat()} {e.get_category_display()}",
            ),
            self.section(
                "support_follow_ups",
                decisions.FollowUpMeeting.objects.filter(ordered)
                .select_related("decision")
                .order_by("held_on"),
                _FOLLOW_UP,
                lambda f: _title(decisions.FollowUpMeeting, f),
            ),
            self.section(
                "support_endings",
                decisions.SupportEnding.objects.filter(ordered).select_related("decision"),
                ["decision", "ended_on", "reason", "note", "ended_by"],
            ),
        ]

    def _establishment(self) -> list[ExtractSection]:
        return [
            self.section(
                "housing_tasks",
                HousingTask.objects.filter(household=self.person)
                .select_related("item")
                .order_by("item__order", "created_at"),
                ["item", "status", "status_date", "note", "changed_by"],
                lambda t: t.item.label,
            ),
            self.section(
                "establishment_programme",
                establishment.ProgrammeStatus.objects.filter(self.mine),
                _fields_of(establishment.ProgrammeStatus),
            ),
            self.section(
                "outcomes",
                establishment.CaseOutcome.objects.filter(self.mine),
                _fields_of(establishment.CaseOutcome),
            ),
            self.section(
                "concern_reports",
                establishment.ConcernReport.objects.filter(self.mine).order_by("received_on"),
                ["case", "received_on", "recorded_by"],
                lambda r: _title(establishment.ConcernReport, r),
            ),
        ]

    # Who read and changed the data ------------------------------------------------------

    def _audit(self) -> ExtractSection:
        """Summarise the audit trail per day, organisation, unit, role and action."""
        events = AuditEvent.objects.filter(Q(person_id=self.person.pk) | self.mine)
        rows = (
            events.annotate(day=TruncDate("occurred_at"))
            .values("day", "unit__organisation__name", "unit__name", "role", "action")
            .annotate(count=Count("id"))
            .order_by("day", "unit__organisation__name", "unit__name", "role", "action")
        )
        roles, actions = dict(Role.choices), dict(AuditAction.choices)
        records = []
        for row in rows:
            action = str(actions.get(row["action"], row["action"]))
            fields = (
                ExtractField("date", gettext("Datum"), row["day"]),
                ExtractField(
                    "organisation", gettext("Organisation"), row["unit__organisation__name"]
                ),
                ExtractField("unit", gettext("Enhet"), row["unit__name"]),
                ExtractField("role", gettext("Roll"), str(roles.get(row["role"], row["role"]))),
                ExtractField("action", gettext("Händelse"), action),
                ExtractField("count", gettext("Antal"), row["count"]),
            )
            title = f"{row['day'].isoformat()} {action}"
            records.append(ExtractRecord(title, tuple(f for f in fields if has_value(f.value))))
        title = gettext("Vem som har läst och ändrat uppgifterna")
        return ExtractSection("audit", title, tuple(records))


def _inverse(relation: str) -> str:
    if relation == HouseholdLink.Relation.CHILD:
        return gettext("Förälder")
    return str(HouseholdLink.Relation(relation).label)


def _party_spec(party: collaboration.MeetingParty) -> Spec:
    # Only the person's own party by name: others by organisation, role and function.
    named = party.kind == collaboration.MeetingParty.Kind.PERSON
    return ["meeting", "kind", *(["name"] if named else []), *_PARTY]


def _party_title(party: collaboration.MeetingParty) -> str:
    if party.kind == collaboration.MeetingParty.Kind.PERSON:
        return str(party.get_kind_display())
    who = party.function or party.get_kind_display()
    return f"{who}, {party.organisation}" if party.organisation else str(who)


def _fields_of(model: type[models.Model]) -> list[str]:
    """Every field of a one-per-case record, with when it last changed at the end."""
    skip = {"id", "created_at", "updated_at"}
    return [f.name for f in model._meta.concrete_fields if f.name not in skip] + ["updated_at"]


_LIFE_AREAS = collaboration.LifeArea.choices
_PERSON = [
    "given_name",
    "family_name",
    "date_of_birth",
    "gender",
    "arrival_category",
    "residence_permit_date",
    "reception_date",
    # preferred languages go here
    "interpreter_needed",
    "interpreter_language",
    "protected_identity",
    "street_address",
    "postal_code",
    "city",
    "phone",
    "email",
    "registered_unit",
    "registered_by",
    "created_at",
    "updated_at",
]
_CASE = ["owning_unit", "stage", "first_contact_date", "closed_on", "closing_reason"]
_CASE += ["opened_by", "created_at"]
_STEP = ["case", "status", "due_date", "opened_on", "scheduled_on", "completed_on"]
_STEP += ["completed_by"]
_SIGNED = ["author", "signed_at", "supersedes"]
_JOURNAL = ["case", "number", "kind", "occurred_at", "written_at", "author_role"]
_JOURNAL += ["author_unit", "text", "corrects", "correction_reason"]
_ALIGNMENT = ["kind", "held_on", "info_for_guide", "first_visit_at", "standby_guide", "notes"]
_REFERRAL = ["case", "to_unit", "to_unit_name", "need", "status", "status_date", "created_by"]
_GUIDANCE = ["case", "guide", "starts_at", "duration_minutes", "place", "mode"]
_GUIDANCE += ["interpreter_needed", "interpreter_language", "status", "booked_by"]
_SIA_PLAN = ["case", "version", "status", "assessment", "guidance_needs", "created_by"]
_SIA_PLAN += ["created_at", "agreed_at", "agreed_by"]
_ACTIVITY = ["plan", "catalogue_item", "title", "responsible", "responsible_user"]
_ACTIVITY += ["start_date", "target_date", "status"]
_CONSENT_HEAD = ["case", "kind", "given_by", "given_by_name", "recipient_organisations"]
_CONSENT_HEAD += ["recipient_units"]
_CONSENT_TAIL = ["purpose", "form", "given_on", "valid_until", "recorded_by", "withdrawn_on"]
_CONSENT_TAIL += ["withdrawal_form", "withdrawal_note", "withdrawn_recorded_by"]
_DISCLOSURE = ["occurred_at", "organisation", "what", "legal_basis", "consent", "case"]
_TASK = ["case", "title", "description", "owner_organisation", "owner", "due_on", "status"]
_TASK += ["done_on", "source", "created_by", "created_at"]
_CONSULTATION = ["case", "specialist_function", "question", "status", "answer", "asked_by"]
_CONSULTATION += ["answered_by", "answered_at"]
_MEETING_HEAD = ["kind", "case", "unit", "title", "purpose", "person_wants_sip"]
_MEETING_TAIL = ["consent", "starts_at", "minutes", "place", "mode", "agenda", "preparations"]
_MEETING_TAIL += ["status", "invitations_sent_at", "held_on", "note_taker", "notes"]
_MEETING_TAIL += ["follow_up_of", "follow_up_not_needed", "cancelled_reason", "created_by"]
_PARTY = ["organisation", "user", "function", "invitation_language", "invited_at", "attended"]
_PARTY += ["statement", "responsibility", "signed_at", "signature_method", "copy_sent_on"]
_PARTY += ["copy_method"]
_INTERPRETER = ["meeting", "language", "mode", "same_interpreter_preferred", "briefing_notes"]
_INTERPRETER += ["status", "booked_by"]
_FUTURE_PLAN = ["case", "version", "status", "goal", "health", "agreed_on", "agreed_by"]
_FUTURE_PLAN += ["created_by", "created_at"]
_POSTPONED = ["case", "topic", "note", "postponed_on", "remind_on", "returned_on"]
_POSTPONED += ["return_note", "returned_by", "recorded_by"]
_BARRIER = ["case", "kind", "description", "noted_on", "resolved_on", "resolved_by"]
_BARRIER += ["recorded_by"]
_ENROLMENT = ["case", "programme", "started_on", "max_months", "discharged_on"]
_ENROLMENT += ["discharge_reason", "discharge_note", "enrolled_by"]
_FOLLOW_UP = ["decision", "held_on", "participants", "notes", "next_follow_up_on"]
_FOLLOW_UP += ["recorded_by"]
_DECISION = ["case", "applied_for", "applied_on", "outcome", "decided_support", "legal_basis"]
_DECISION += ["reasons", "provider", "valid_from", "valid_until", "appeal_notice"]
_DECISION += ["informed_on", "informed_how", "decided_by", "decided_on", "signed_at"]
_DECISION += ["supersedes"]
