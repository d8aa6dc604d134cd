"""A system check that the retention settings name real record types and sane periods."""

from typing import Any

from django.conf import settings
from django.core import checks

from sia.retention.registry import record_types


@checks.register(checks.Tags.compatibility)
def check_retention_settings(**kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    labels = {kind.label for kind in record_types()}
    for label in settings.SIA_RETENTION_KEEP:
        if label not in labels:
            errors.append(
                checks.Error(
                    f"SIA_RETENTION_KEEP names {label!r}, which is not a record type of a person.",
                    hint="Use a model label such as 'decisions.SupportDecision'.",
                    id="sia.retention.E001",
                )
            )
    if settings.SIA_RETENTION_YEARS < 1 or settings.SIA_AUDIT_RETENTION_YEARS < 1:
        errors.append(
            checks.Error(
                "SIA_RETENTION_YEARS and SIA_AUDIT_RETENTION_YEARS must be at least 1.",
                id="sia.retention.E002",
            )
        )
    return errors
