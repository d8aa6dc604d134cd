from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "sia.assessments"
    verbose_name = _("Kartläggning och stegförflyttningar")
