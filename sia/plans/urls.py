"""Pages of the SIA plan: versions, print view and PDF."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
