"""Process templates as data: ordered steps with due rules, catalogues and eligibility rules.

A case starts a template version and keeps it: its `CaseStep` rows point at that
version's `StepDefinition`s, so changing or cloning a template never moves a running case.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import Role
from sia.core.models import TimeStampedModel


class Catalogue(TimeStampedModel):
    """A configurable list the steps use: documents, information topics, questions, activities."""

    class Kind(models.TextChoices):
        DOCUMENTS = "documents", _("Begärda handlingar")
        INFORMATION = "information", _("Informationspunkter")
        ASSESSMENT = "assessment", _("Kartläggningsmall")
        ACTIVITIES = "activities", _("Aktiviteter")
        HOUSING = "housing", _("Bostadsuppgifter")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    key = models.SlugField(_("nyckel"), max_length=50, unique=True)
    title = models.CharField(_("rubrik"), max_length=200)
    kind = models.CharField(_("typ"), max_length=16, choices=Kind.choices)
    description = models.TextField(_("beskrivning"), blank=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("katalog")
        verbose_name_plural = _("kataloger")

    def __str__(self) -> str:
        return self.title


class CatalogueItem(TimeStampedModel):
    """One entry of a catalogue; retire it with is_active rather than deleting it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    catalogue = models.ForeignKey(
        Catalogue, on_delete=models.PROTECT, related_name="items", verbose_name=_("katalog")
    )
    key = models.SlugField(_("nyckel"), max_length=50)
    label = models.CharField(_("benämning"), max_length=200)
    help_text = models.TextField(
        _("förklaring"), blank=True, help_text=_("Vad punkten betyder och var man får tag i den.")
    )
    order = models.PositiveIntegerField(_("ordning"), default=0)
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        ordering = ["catalogue", "order", "label"]
        verbose_name = _("katalogpost")
        verbose_name_plural = _("katalogposter")
        constraints = [
            models.UniqueConstraint(fields=["catalogue", "key"], name="catalogue_item_unique_key"),
        ]

    def __str__(self) -> str:
        return self.label


class ProcessTemplate(TimeStampedModel):
    """A versioned process (e.g. SIA) with its steps and who is eligible for it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    key = models.SlugField(_("nyckel"), max_length=50)
    name = models.CharField(_("namn"), max_length=200)
    version = models.PositiveIntegerField(_("version"), default=1)
    is_active = models.BooleanField(
        _("används för nya ärenden"),
        default=False,
        help_text=_("Nya ärenden startar den aktiva versionen; pågående ärenden behåller sin."),
    )
    cloned_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clones",
        verbose_name=_("kopierad från"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("skapad av"),
    )
    # Eligibility (målgrupp): data, so each programme can have its own rules.
    require_residence_permit = models.BooleanField(_("kräver beviljat uppehållstillstånd"))
    min_age = models.PositiveIntegerField(_("lägsta ålder"), null=True, blank=True)
    max_age = models.PositiveIntegerField(_("högsta ålder"), null=True, blank=True)
    max_years_since_permit = models.PositiveIntegerField(
        _("högst antal år sedan uppehållstillstånd"), null=True, blank=True
    )
    arrival_categories = models.JSONField(
        _("mottagningskategorier"),
        default=list,
        blank=True,
        help_text=_("Tom lista betyder att alla kategorier ingår."),
    )

    class Meta:
        ordering = ["key", "-version"]
        verbose_name = _("processmall")
        verbose_name_plural = _("processmallar")
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="process_template_version"),
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(is_active=True),
                name="process_template_one_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class StepDefinition(TimeStampedModel):
    """A step of a template: who does it, and when it is due relative to an anchor."""

    class Anchor(models.TextChoices):
        FIRST_CONTACT = "first_contact", _("Aktualiseringsdatum")
        STEP = "step", _("Annat steg (klart, annars dess förfallodag)")
        OPENED = "opened", _("Dagen steget öppnas")

    class Counting(models.TextChoices):
        WORKING_DAY = "working_day", _("Arbetsdag nummer N, ankardagen räknas som dag 1")
        AFTER = "after", _("N arbetsdagar efter ankardagen")

    class MeetingType(models.TextChoices):
        NONE = "", _("Inget möte")
        ALIGNMENT = "alignment", _("SIA-avstämning")
        GUIDANCE = "guidance", _("Samhällsvägledningsmöte")
        FIRST_VISIT = "first_visit", _("Nybesök")

    template = models.ForeignKey(
        ProcessTemplate, on_delete=models.PROTECT, related_name="steps", verbose_name=_("mall")
    )
    key = models.SlugField(_("nyckel"), max_length=50)
    title = models.CharField(_("rubrik"), max_length=200)
    order = models.PositiveIntegerField(_("ordning"))
    responsible_role = models.CharField(_("ansvarig roll"), max_length=40, choices=Role.choices)
    anchor = models.CharField(_("räknas från"), max_length=16, choices=Anchor.choices)
    anchor_step = models.SlugField(_("ankarsteg"), max_length=50, blank=True)
    counting = models.CharField(_("räknesätt"), max_length=16, choices=Counting.choices)
    days = models.PositiveIntegerField(_("arbetsdagar"))
    not_later_than_step = models.SlugField(
        _("senast samma dag som steg"), max_length=50, blank=True
    )
    opens_at_start = models.BooleanField(
        _("öppnas när ärendet startar"),
        default=True,
        help_text=_("Annars öppnas steget av en händelse, till exempel överföring."),
    )
    meeting_type = models.CharField(
        _("mötestyp"), max_length=16, choices=MeetingType.choices, blank=True
    )
    catalogues = models.ManyToManyField(
        Catalogue, blank=True, related_name="steps", verbose_name=_("kataloger")
    )

    class Meta:
        ordering = ["template", "order"]
        verbose_name = _("steg i processmall")
        verbose_name_plural = _("steg i processmallar")
        constraints = [
            models.UniqueConstraint(fields=["template", "key"], name="step_definition_key"),
            models.UniqueConstraint(fields=["template", "order"], name="step_definition_order"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class CaseStep(TimeStampedModel):
    """A step of one case's process, with its due date and whether it is done."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Ej öppnat")
        OPEN = "open", _("Pågår")
        DONE = "done", _("Klart")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="steps", verbose_name=_("ärende")
    )
    definition = models.ForeignKey(
        StepDefinition, on_delete=models.PROTECT, related_name="+", verbose_name=_("stegdefinition")
    )
    key = models.SlugField(_("nyckel"), max_length=50)
    order = models.PositiveIntegerField(_("ordning"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    due_date = models.DateField(_("senast"), null=True, blank=True)
    opened_on = models.DateField(_("öppnat"), null=True, blank=True)
    scheduled_on = models.DateField(
        _("inbokat till"),
        null=True,
        blank=True,
        help_text=_("Dagen steget är inbokat, till exempel den överenskomna tiden för nybesöket."),
    )
    completed_on = models.DateField(
        _("utfört"), null=True, blank=True, help_text=_("Dagen arbetet gjordes.")
    )
    completed_at = models.DateTimeField(_("klart"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("klarmarkerat av"),
    )

    class Meta:
        ordering = ["case", "order"]
        verbose_name = _("steg i ärende")
        verbose_name_plural = _("steg i ärenden")
        constraints = [
            models.UniqueConstraint(fields=["case", "key"], name="case_step_key"),
            models.CheckConstraint(
                condition=models.Q(
                    status="done", completed_at__isnull=False, completed_on__isnull=False
                )
                | (
                    ~models.Q(status="done")
                    & models.Q(completed_at__isnull=True, completed_on__isnull=True)
                ),
                name="case_step_done_has_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self) -> str:
        return f"{self.definition.title} ({self.get_status_display()})"

    @property
    def title(self) -> str:
        return self.definition.title
