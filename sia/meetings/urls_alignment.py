"""Pages of the SIA alignment, requested documents, referrals and guidance meeting."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
