from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "sia.imports"
    verbose_name = "Import"
