"""Pages of assessments."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
