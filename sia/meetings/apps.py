from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "sia.meetings"
    verbose_name = _("Avstämningar och möten")
