"""Pages of collaboration."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
