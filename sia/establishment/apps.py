from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EstablishmentConfig(AppConfig):
    name = "sia.establishment"
    verbose_name = _("Etableringsprogrammet och utfall")
