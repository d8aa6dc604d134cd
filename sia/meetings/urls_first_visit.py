"""Pages of the first visit and the call-in of the standby guide."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
