"""The append-only audit trail of every read and change of personal data."""

import uuid
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import Role, Unit
from sia.cases.models import case_reference


class AuditAction(models.TextChoices):
    PERSON_VIEWED = "person.viewed", _("Visade person")
    PERSON_LISTED = "person.listed", _("Person i lista")
    PERSON_SEARCHED = "person.searched", _("Sökte person")
    PERSON_CREATED = "person.created", _("Registrerade person")
    PERSON_UPDATED = "person.updated", _("Ändrade person")
    CASE_VIEWED = "case.viewed", _("Visade ärende")
    CASE_LISTED = "case.listed", _("Ärende i lista")
    CASE_CREATED = "case.created", _("Aktualiserade ärende")
    CASE_UPDATED = "case.updated", _("Ändrade ärende")
    CASE_ALLOCATED = "case.allocated", _("Fördelade ärende")
    CASE_TRANSFERRED = "case.transferred", _("Överförde ärende till utredningsgruppen")
    STEP_OPENED = "step.opened", _("Öppnade steg")
    STEP_COMPLETED = "step.completed", _("Slutförde steg")
    DUE_DATES_RECOMPUTED = "step.due_recomputed", _("Räknade om förfallodagar")
    ALIGNMENT_RECORDED = "alignment.recorded", _("Dokumenterade SIA-avstämning")
    DOCUMENTS_UPDATED = "documents.updated", _("Ändrade begärda handlingar")
    REFERRAL_CREATED = "referral.created", _("Registrerade remiss till annan enhet")
    REFERRAL_UPDATED = "referral.updated", _("Ändrade status på remiss")
    GUIDANCE_BOOKED = "guidance.booked", _("Bokade samhällsvägledningsmöte")
    GUIDANCE_CHANGED = "guidance.changed", _("Ändrade bokning av samhällsvägledningsmöte")
    GUIDANCE_RECORDED = "guidance.recorded", _("Dokumenterade samhällsvägledningsmöte")
    FIRST_VISIT_RECORDED = "first_visit.recorded", _("Dokumenterade nybesök")
    GUIDE_CALLED = "guide_call.created", _("Kallade in samhällsvägledare")
    GUIDE_CALL_ANSWERED = "guide_call.answered", _("Svarade på inkallning")
    PLAN_PROPOSED = "plan.proposed", _("Upprättade förslag till SIA-plan")
    PLAN_AGREED = "plan.agreed", _("Kom överens om SIA-plan")
    PLAN_ACTIVITY_UPDATED = "plan.activity_updated", _("Ändrade status på aktivitet")
    PLAN_PRINTED = "plan.printed", _("Skrev ut SIA-plan")
    CONSENT_RECORDED = "consent.recorded", _("Dokumenterade samtycke")
    CONSENT_WITHDRAWN = "consent.withdrawn", _("Dokumenterade återkallat samtycke")
    CONSENT_PRINTED = "consent.printed", _("Skrev ut samtycke")
    TEAM_MEMBER_ADDED = "team.member_added", _("Lade till medlem i ärendeteamet")
    TEAM_MEMBER_REMOVED = "team.member_removed", _("Tog bort medlem ur ärendeteamet")
    TASK_CREATED = "task.created", _("Lade till uppgift i handlingsplanen")
    TASK_UPDATED = "task.updated", _("Ändrade uppgift i handlingsplanen")
    CONSULTATION_ASKED = "consultation.asked", _("Begärde konsultation")
    CONSULTATION_ANSWERED = "consultation.answered", _("Besvarade konsultation")
    CONSULTATION_WITHDRAWN = "consultation.withdrawn", _("Tog tillbaka konsultation")
    MEETING_CREATED = "meeting.created", _("Planerade samverkansmöte")
    MEETING_UPDATED = "meeting.updated", _("Ändrade samverkansmöte")
    MEETING_INVITED = "meeting.invited", _("Skickade kallelser")
    MEETING_RECORDED = "meeting.recorded", _("Dokumenterade samverkansmöte")
    MEETING_SIGNED = "meeting.signed", _("Registrerade signering av mötesdokumentation")
    MEETING_COPY_SENT = "meeting.copy_sent", _("Registrerade lämnad kopia")
    MEETING_VIEWED = "meeting.viewed", _("Visade samverkansmöte")
    INTERPRETER_BOOKED = "interpreter.booked", _("Bokade tolk")
    ASSESSMENT_RECORDED = "assessment.recorded", _("Dokumenterade kartläggningssamtal")
    FUTURE_PLAN_CHANGED = "future_plan.changed", _("Ändrade framtids- och hälsoplan")
    FUTURE_PLAN_AGREED = "future_plan.agreed", _("Personen beslutade framtids- och hälsoplan")
    TOPIC_POSTPONED = "topic.postponed", _("Sköt upp känsligt ämne")
    TOPIC_RETURNED = "topic.returned", _("Återkom till uppskjutet ämne")
    BARRIER_RECORDED = "barrier.recorded", _("Dokumenterade hinder")
    PROGRESS_RECORDED = "progress.recorded", _("Dokumenterade stegförflyttning eller utfall")
    ENROLMENT_CHANGED = "enrolment.changed", _("Ändrade inskrivning i insats")
    GROUP_SERIES_CHANGED = "group.series_changed", _("Ändrade gruppaktivitet eller tillfälle")
    GROUP_SESSION_EVALUATED = "group.evaluated", _("Utvärderade tillfälle i gruppaktivitet")
    GROUP_ENROLMENT_CHANGED = "group.enrolment_changed", _("Ändrade deltagande i gruppaktivitet")
    GROUP_ATTENDANCE_RECORDED = "group.attendance", _("Registrerade närvaro i gruppaktivitet")
    DECISION_MADE = "decision.made", _("Fattade beslut om insats")
    DECISION_INFORMED = "decision.informed", _("Underrättade om beslut")
    SUPPORT_PLAN_CHANGED = "support_plan.changed", _("Ändrade plan för insatsen")
    PROVIDER_LOGGED = "provider.logged", _("Loggade utförd insats")
    SUPPORT_FOLLOWED_UP = "support.followed_up", _("Dokumenterade uppföljning av insats")
    SUPPORT_ENDED = "support.ended", _("Avslutade insats")
    HOUSING_TASK_CHANGED = "housing.changed", _("Ändrade bostadsuppgift")
    PROGRAMME_CHANGED = "programme.changed", _("Ändrade uppgifter om etableringsprogrammet")
    OUTCOME_CHANGED = "outcome.changed", _("Ändrade utfall")
    CONCERN_REPORT_RECORDED = "concern.recorded", _("Registrerade orosanmälan")
    AUDIT_VIEWED = "audit.viewed", _("Granskade loggen")
    REPORT_VIEWED = "report.viewed", _("Visade uppföljning")
    REPORT_EXPORTED = "report.exported", _("Hämtade uppföljning som fil")
    JOURNAL_WRITTEN = "journal.written", _("Skrev journalanteckning")
    JOURNAL_CORRECTED = "journal.corrected", _("Rättade journalanteckning")
    JOURNAL_OBJECTION = "journal.objection", _("Registrerade avvikande mening")
    EXTRACT_MADE = "extract.made", _("Tog fram registerutdrag")
    LOGGED_OUT_EVERYWHERE = "session.logout_everywhere", _("Loggade ut överallt")
    LOGIN_LOCKED_OUT = "login.locked_out", _("Inloggning spärrad efter misslyckade försök")
    EMERGENCY_ACCESS = "case.emergency_access", _("Tog nödåtkomst till ärende")
    EMERGENCY_ACCESS_REVIEWED = "case.emergency_reviewed", _("Granskade nödåtkomst")
    LOG_REVIEW_RECORDED = "audit.review_recorded", _("Dokumenterade loggkontroll")
    MFA_ENROLLED = "mfa.enrolled", _("Aktiverade tvåstegsverifiering")
    MFA_FAILED = "mfa.failed", _("Angav fel engångskod")
    MFA_RECOVERY_CODES = "mfa.recovery_codes", _("Skapade nya reservkoder")
    MFA_RECOVERY_USED = "mfa.recovery_used", _("Loggade in med reservkod")
    MFA_RESET = "mfa.reset", _("Nollställde tvåstegsverifiering")
    SSO_LOGIN = "login.sso", _("Loggade in med gemensam inloggning")
    SSO_REFUSED = "login.sso_refused", _("Gemensam inloggning nekades")
    RETENTION_DRY_RUN = "retention.dry_run", _("Provkörde gallring")
    RETENTION_RUN = "retention.run", _("Gallrade uppgifter")
    IMPORT_CHECKED = "import.checked", _("Kontrollerade importfil")
    IMPORT_MADE = "import.made", _("Importerade ärenden")


class Channel(models.TextChoices):
    WEB = "web", _("Webb")
    API = "api", _("API")
    SYSTEM = "system", _("System")


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    """Audit events can be added and read, never changed or removed in bulk."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError("Audit events are append-only.")

    def delete(self) -> NoReturn:
        raise PermissionError("Audit events are append-only.")


class AuditEvent(models.Model):
    """Who did what to which person or case, when, in which role and unit."""

    occurred_at = models.DateTimeField(_("tidpunkt"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("användare"),
    )
    actor_username = models.CharField(_("användarnamn"), max_length=150)
    role = models.CharField(_("roll"), max_length=40, choices=Role.choices, blank=True)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enhet"),
    )
    action = models.CharField(_("händelse"), max_length=32, choices=AuditAction.choices)
    channel = models.CharField(_("kanal"), max_length=8, choices=Channel.choices)
    # No database constraint: events outlive the records they describe (gallring).
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ärende"),
    )
    changes = models.JSONField(_("ändringar"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("logghändelse")
        verbose_name_plural = _("logghändelser")
        indexes = [
            models.Index(fields=["actor", "occurred_at"]),
            models.Index(fields=["person", "occurred_at"]),
            models.Index(fields=["case", "occurred_at"]),
            models.Index(fields=["action", "occurred_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_username} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("Audit events are append-only.")

    @property
    def case_reference(self) -> str | None:
        """The case's short reference (as `Case.reference`), without loading the case."""
        return case_reference(self.case_id) if self.case_id else None


class LogReviewQuerySet(models.QuerySet["LogReview"]):
    """Recorded log reviews can be added and read, never changed or removed in bulk."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError("Log reviews are append-only.")

    def delete(self) -> NoReturn:
        raise PermissionError("Log reviews are append-only.")


class LogReview(models.Model):
    """A manager's record that a check of the log (loggkontroll) was done, and its result.

    Append-only like the audit trail: a later check is a new record. The units are the
    ones the reviewer managed when recording, written once by the service.
    """

    class Kind(models.TextChoices):
        SAMPLE = "sample", _("Stickprov")
        UNUSUAL = "unusual", _("Avvikande åtkomst")

    class Result(models.TextChoices):
        NO_REMARKS = "no_remarks", _("Inga anmärkningar")
        REMARKS = "remarks", _("Anmärkningar")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("granskad av"),
    )
    reviewed_at = models.DateTimeField(_("granskad"), auto_now_add=True, db_index=True)
    units = models.ManyToManyField(Unit, related_name="+", verbose_name=_("enheter"))
    period_from = models.DateField(_("period från och med"))
    period_to = models.DateField(_("period till och med"))
    kind = models.CharField(_("typ av kontroll"), max_length=16, choices=Kind.choices)
    sample_seed = models.PositiveBigIntegerField(_("slumpfrö"), null=True, blank=True)
    sample_size = models.PositiveSmallIntegerField(_("stickprovets storlek"), null=True, blank=True)
    events_examined = models.PositiveIntegerField(_("granskade händelser"))
    result = models.CharField(_("resultat"), max_length=16, choices=Result.choices)
    findings = models.TextField(_("anmärkningar"), blank=True)
    follow_up = models.TextField(_("åtgärd"), blank=True)

    objects = LogReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-reviewed_at"]
        verbose_name = _("loggkontroll")
        verbose_name_plural = _("loggkontroller")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_from__lte=models.F("period_to")),
                name="log_review_period_in_order",
            ),
            models.CheckConstraint(
                condition=~models.Q(result="remarks") | ~models.Q(findings=""),
                name="log_review_remarks_have_findings",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="sample")
                | models.Q(sample_seed__isnull=False, sample_size__gte=1, sample_size__lte=200),
                name="log_review_sample_has_seed_and_size",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_from}–{self.period_to}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("Log reviews are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("Log reviews are append-only.")
