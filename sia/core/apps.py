from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sia.core"
    verbose_name = "SIA"
