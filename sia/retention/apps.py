from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    name = "sia.retention"
    verbose_name = _("Gallring")

    def ready(self) -> None:
        from sia.retention import checks  # noqa: F401  (registers the settings check)
