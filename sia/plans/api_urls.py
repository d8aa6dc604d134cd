"""API of the SIA plan."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
