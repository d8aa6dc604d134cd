"""Operators configure the programme's alert thresholds here; there is one row of them.
Programme statuses, outcomes and reports of concern are case content and are not here."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from sia.establishment.models import ProgrammeRules


@admin.register(ProgrammeRules)
class ProgrammeRulesAdmin(admin.ModelAdmin[ProgrammeRules]):
    list_display = (
        "sfi_alert_weeks",
        "civic_orientation_alert_weeks",
        "programme_end_alert_weeks",
        "age_limit",
        "age_alert_weeks",
        "updated_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        # One row only: the services create it with the defaults when it is missing.
        return not ProgrammeRules.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
