"""API of teamwork."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
