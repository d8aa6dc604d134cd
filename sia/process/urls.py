"""Pages for running the process: allocation, transfer, my work, unit overview, calendar."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
