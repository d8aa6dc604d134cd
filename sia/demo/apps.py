from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "sia.demo"
    verbose_name = "Demo and scale data"
