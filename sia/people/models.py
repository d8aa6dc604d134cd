"""The newcomer (Person), their identifiers and household links."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import Unit
from sia.core.models import TimeStampedModel


class Gender(models.TextChoices):
    FEMALE = "female", _("Kvinna")
    MALE = "male", _("Man")
    OTHER = "other", _("Annat")
    UNKNOWN = "unknown", _("Okänt")


class ArrivalCategory(models.TextChoices):
    ABO = "abo", _("ABO (anläggningsboende)")
    EBO = "ebo", _("EBO (eget boende)")
    QUOTA_REFUGEE = "quota_refugee", _("Kvotflykting")
    FAMILY_REUNIFICATION = "family_reunification", _("Anknytning")
    TEMPORARY_PROTECTION = "temporary_protection", _("Tillfälligt skydd (massflyktsdirektivet)")


class Language(models.TextChoices):
    """Languages the unit commonly needs, by ISO 639-1 code where one exists."""

    ARABIC = "ar", _("arabiska")
    DARI = "prs", _("dari")
    PASHTO = "ps", _("pashto")
    TIGRINYA = "ti", _("tigrinja")
    SOMALI = "so", _("somaliska")
    PERSIAN = "fa", _("persiska")
    KURDISH = "ku", _("kurdiska")
    UKRAINIAN = "uk", _("ukrainska")
    RUSSIAN = "ru", _("ryska")
    AMHARIC = "am", _("amhariska")
    ENGLISH = "en", _("engelska")
    FRENCH = "fr", _("franska")
    SWEDISH = "sv", _("svenska")


class Person(TimeStampedModel):
    """A newcomer whose case the unit handles."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    given_name = models.CharField(_("förnamn"), max_length=100)
    family_name = models.CharField(_("efternamn"), max_length=100)
    date_of_birth = models.DateField(_("födelsedatum"))
    gender = models.CharField(_("kön"), max_length=16, choices=Gender.choices)
    arrival_category = models.CharField(
        _("mottagningskategori"), max_length=32, choices=ArrivalCategory.choices, blank=True
    )
    residence_permit_date = models.DateField(
        _("uppehållstillstånd beviljat"), null=True, blank=True
    )
    reception_date = models.DateField(_("mottagen i kommunen"), null=True, blank=True)
    preferred_languages = models.JSONField(_("språk"), default=list, blank=True)
    interpreter_needed = models.BooleanField(_("behöver tolk"), default=False)
    interpreter_language = models.CharField(
        _("tolkspråk"), max_length=8, choices=Language.choices, blank=True
    )
    protected_identity = models.BooleanField(_("skyddade personuppgifter"), default=False)
    street_address = models.CharField(_("gatuadress"), max_length=200, blank=True)
    postal_code = models.CharField(_("postnummer"), max_length=10, blank=True)
    city = models.CharField(_("ort"), max_length=100, blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    registered_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="registered_people",
        verbose_name=_("registrerad av enhet"),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registrerad av"),
    )

    # Set by the read selectors when protected details were blanked for the viewer.
    details_hidden = False

    class Meta:
        ordering = ["family_name", "given_name", "date_of_birth"]
        verbose_name = _("person")
        verbose_name_plural = _("personer")
        permissions = [
            (
                "view_protected_details",
                _("Får se adress och kontaktuppgifter för skyddade personer"),
            ),
        ]
        indexes = [
            models.Index(fields=["family_name", "given_name", "date_of_birth"]),
            models.Index(fields=["date_of_birth"]),
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def language_names(self) -> list[str]:
        """Name the preferred languages in the interface language."""
        labels = dict(Language.choices)
        return [str(labels.get(code, code)) for code in self.preferred_languages]

    @property
    def postal_address(self) -> str:
        """Return the address on one line, as it goes on an envelope."""
        place = " ".join(part for part in (self.postal_code, self.city) if part)
        return ", ".join(part for part in (self.street_address, place) if part)


class PersonIdentifier(TimeStampedModel):
    """An identity number a person has, with the period it is valid."""

    class Kind(models.TextChoices):
        PERSONNUMMER = "personnummer", _("Personnummer")
        SAMORDNINGSNUMMER = "samordningsnummer", _("Samordningsnummer")
        DOSSIER = "dossier", _("Dossiernummer (Migrationsverket)")

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="identifiers", verbose_name=_("person")
    )
    kind = models.CharField(_("typ"), max_length=32, choices=Kind.choices)
    value = models.CharField(_("nummer"), max_length=12)
    valid_from = models.DateField(_("gäller från"), null=True, blank=True)
    valid_to = models.DateField(_("gäller till"), null=True, blank=True)

    class Meta:
        ordering = ["kind", "-valid_from"]
        verbose_name = _("identitetsnummer")
        verbose_name_plural = _("identitetsnummer")
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="identifier_unique_value"),
        ]

    def __str__(self) -> str:
        # The number itself is personal data; only the kind is safe to print.
        return str(self.get_kind_display())

    @property
    def formatted(self) -> str:
        if self.kind == self.Kind.DOSSIER:
            return self.value
        return f"{self.value[:8]}-{self.value[8:]}"


class HouseholdLink(TimeStampedModel):
    """A family tie between two registered people, stored once and shown from both sides."""

    class Relation(models.TextChoices):
        PARTNER = "partner", _("Make/maka/partner")
        CHILD = "child", _("Barn")
        SIBLING = "sibling", _("Syskon")
        OTHER = "other", _("Annan anhörig")

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="household_links", verbose_name=_("person")
    )
    relative = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("anhörig")
    )
    relation = models.CharField(
        _("relation (anhörigen är personens)"), max_length=16, choices=Relation.choices
    )

    class Meta:
        ordering = ["relation"]
        verbose_name = _("hushållskoppling")
        verbose_name_plural = _("hushållskopplingar")
        constraints = [
            models.UniqueConstraint(fields=["person", "relative"], name="household_link_unique"),
            models.CheckConstraint(
                condition=~models.Q(person=models.F("relative")), name="household_link_not_self"
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_relation_display())
