"""API of the process: steps, allocation, transfer."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
