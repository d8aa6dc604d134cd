"""Optimistic locking: a record two people edit is saved only if nobody changed it meanwhile.

A versioned record (`Versioned`) carries `lock_version`, raised by one on every save, and
who saved it last. An edit page or API call states the version the user loaded; the
service writes with `save_if_unchanged`, a compare-and-swap in one statement
(``UPDATE … SET lock_version = lock_version + 1 WHERE pk = … AND lock_version = …``), so
two saves racing on PostgreSQL or SQLite cannot both win, whatever the isolation level.
The loser gets `EditConflict` (409) carrying the record as saved, who saved it and when,
and the service's transaction rolls back: a refused save writes nothing.

Pages answer 409 with the other person's values beside the user's and the user's input
kept in the form (`show_conflict`, ``templates/core/conflict.html``); the API answers 409
with the current record (`conflict_response`, `conflict_schema`).

The field is `lock_version`, not `version`: the SIA plan already has a `version`, the
version number the newcomer sees on the plan.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django import forms
from django.conf import settings
from django.db import models
from django.db.models import F
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers
from rest_framework.response import Response

from sia.core.exceptions import DomainError

MAX_VERSION = 2_147_483_647


class Versioned(models.Model):
    """Count the saves of a record two people may edit, and remember who saved it last."""

    lock_version = models.PositiveIntegerField(_("ändringsnummer"), default=1, editable=False)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("senast ändrad av"),
    )

    class Meta:
        abstract = True


V = TypeVar("V", bound=Versioned)


class EditConflict(DomainError):
    """Someone else saved the record after the user loaded it; the user's change is refused."""

    status_code = 409

    def __init__(self, *, record: Versioned, what: str | Promise, fields: Sequence[str]) -> None:
        super().__init__(
            gettext(
                "Någon annan har ändrat %(what)s medan du arbetade. Din ändring har inte sparats."
            )
            % {"what": what}
        )
        self.record = record
        self.fields = tuple(fields)
        self.current_version = record.lock_version
        self.changed_by = record.edited_by
        self.changed_at: dt.datetime | None = getattr(record, "updated_at", None)


def save_if_unchanged(
    record: V,
    *,
    expected_version: int | None,
    fields: Sequence[str],
    changed_by: Any,
    what: str | Promise,
    shown: Sequence[str] | None = None,
) -> V:
    """Write ``fields`` of ``record`` only if it is still at ``expected_version``.

    ``None`` skips the comparison (a change that carries no loaded version, made by the
    system) but still counts the save, so an edit loaded before it conflicts. On a
    conflict raise `EditConflict` with the record as saved; ``shown`` names the fields to
    compare on the conflict page (default ``fields``).
    """
    model = type(record)
    columns = {f.name: f.attname for f in model._meta.concrete_fields}
    values = {columns[name]: getattr(record, columns[name]) for name in fields}
    if "updated_at" in columns:
        values["updated_at"] = timezone.now()
    rows = model._default_manager.filter(pk=record.pk)
    if expected_version is not None:
        rows = rows.filter(lock_version=expected_version)
    updated = rows.update(**values, lock_version=F("lock_version") + 1, edited_by=changed_by)
    if not updated:
        raise EditConflict(record=current(record), what=what, fields=shown or fields)
    saved = model._default_manager.values("lock_version").get(pk=record.pk)
    record.lock_version = saved["lock_version"]
    record.edited_by = changed_by
    return record


def check_unchanged(
    record: V, *, expected_version: int | None, what: str | Promise, fields: Sequence[str]
) -> None:
    """Raise `EditConflict` if ``record`` (read under a lock) moved past the loaded version."""
    if expected_version is not None and record.lock_version != expected_version:
        raise EditConflict(record=record, what=what, fields=fields)


def check_latest(
    latest: V | None,
    *,
    based_on: Any,
    expected_version: int | None,
    what: str | Promise,
    fields: Sequence[str],
) -> None:
    """Raise `EditConflict` unless the latest version (read under a lock) is the one loaded.

    For records kept in versions (plans): a new version, or a change or agreement of the
    latest, since the user loaded ``based_on`` at ``expected_version`` refuses the save.
    ``expected_version`` None skips the check.
    """
    if latest is None or expected_version is None:
        return
    if latest.pk != based_on or latest.lock_version != expected_version:
        raise EditConflict(record=current(latest), what=what, fields=fields)


def current(record: V) -> V:
    """Read the record again as it is saved now, with who saved it."""
    return type(record)._default_manager.select_related("edited_by").get(pk=record.pk)


# Pages


class VersionedForm(forms.Form):
    """Carry the version of the record the user loaded, so a stale save is refused."""

    lock_version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        max_value=MAX_VERSION,
        error_messages={
            "required": _("Sidan saknar uppgift om vilken version du utgick från. Ladda om den."),
            "invalid": _("Sidan saknar uppgift om vilken version du utgick från. Ladda om den."),
        },
    )


@dataclass(frozen=True)
class Difference:
    """One field as the other person saved it and as the user wrote it."""

    label: str
    theirs: str
    yours: str


@dataclass(frozen=True)
class ShownConflict:
    """What the conflict panel shows: the message, who and when, and the differences."""

    message: str
    changed_by: str
    changed_at: dt.datetime | None
    differences: list[Difference] = field(default_factory=list)


def shown_value(form_field: forms.Field | None, value: object) -> str:
    """Show a saved or entered value as the form shows it: choices by their label."""
    if isinstance(value, models.Model):
        value = value.pk
    if value is None:
        return ""
    if isinstance(value, bool):
        return gettext("Ja") if value else gettext("Nej")
    if isinstance(value, list | tuple | set | frozenset | models.QuerySet):
        return ", ".join(sorted(shown_value(form_field, item) for item in value))
    text = str(value).strip()
    choices = getattr(form_field, "choices", None)
    if choices is not None:
        labels = {str(key): str(label) for key, label in choices}
        return labels.get(text, text)
    return text


def _name(user: Any) -> str:
    if user is None:
        return "–"
    return str(user.get_full_name() or user.username)


def show_conflict(
    conflict: EditConflict,
    form: forms.Form,
    *,
    extra: Sequence[Difference] = (),
    rearm: Mapping[str, object] | None = None,
) -> ShownConflict:
    """Compare the saved record with the user's input, and re-arm the form to save over it.

    The form keeps the user's input; its version becomes the saved one, so saving again
    after reading the other person's change applies the user's values on top of it.
    ``rearm`` sets further hidden fields the same way.
    """
    differences = []
    data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
    for name in conflict.fields:
        form_field = form.fields.get(name)
        if form_field is None:
            continue
        theirs = shown_value(form_field, getattr(conflict.record, name))
        yours = shown_value(form_field, data.get(name))
        if theirs != yours:
            differences.append(Difference(str(form_field.label or name), theirs, yours))
    _rearm(form, {"lock_version": conflict.current_version, **(rearm or {})})
    return ShownConflict(
        message=str(conflict.message),
        changed_by=_name(conflict.changed_by),
        changed_at=conflict.changed_at,
        differences=differences + [d for d in extra if d.theirs != d.yours],
    )


def _rearm(form: forms.Form, values: Mapping[str, object]) -> None:
    data = form.data.copy() if isinstance(form.data, QueryDict) else dict(form.data)
    for name, value in values.items():
        data[form.add_prefix(name)] = "" if value is None else str(value)
    form.data = data


def render_conflict(
    request: HttpRequest, template: str, context: Mapping[str, Any], shown: ShownConflict
) -> HttpResponse:
    """Render the edit page again as 409, with the conflict above the user's kept input."""
    return render(request, template, {**context, "conflict": shown}, status=409)


def render_conflict_page(
    request: HttpRequest, shown: ShownConflict, *, back_url: str, title: str | Promise
) -> HttpResponse:
    """Answer 409 with a page of its own, for small forms that post and go back."""
    context = {"conflict": shown, "back_url": back_url, "title": title}
    return render(request, "core/conflict_page.html", context, status=409)


# API


def conflict_response(conflict: EditConflict, current_data: Any) -> Response:
    """Answer 409 with the message, who changed the record and when, and the record now.

    ``detail`` is a list of messages, as in every other refusal (sia.core.api).
    """
    return Response(
        {
            "detail": [str(conflict.message)],
            "changed_by": conflict.changed_by.username if conflict.changed_by else None,
            "changed_at": conflict.changed_at.isoformat() if conflict.changed_at else None,
            "current": current_data,
        },
        status=409,
    )


def conflict_schema(name: str, current: serializers.BaseSerializer[Any]) -> Any:
    """Describe the 409 body of a stale save in the OpenAPI schema.

    A 409 for a record in a state that allows no change at all (`InvalidTransition`) has
    only ``detail``, so the other fields are optional.
    """
    current.required = False
    return inline_serializer(
        name=name,
        fields={
            "detail": serializers.ListField(child=serializers.CharField()),
            "changed_by": serializers.CharField(allow_null=True, required=False),
            "changed_at": serializers.DateTimeField(allow_null=True, required=False),
            "current": current,
        },
    )


def version_field() -> serializers.IntegerField:
    """The version the client loaded; a stale one answers 409 with the current record."""
    return serializers.IntegerField(
        min_value=0,
        max_value=MAX_VERSION,
        help_text="lock_version of the record as the client read it; "
        "a stale value answers 409 with the current record.",
    )


class VersionedInputSerializer(serializers.Serializer[Any]):
    """Require the version the client loaded, on a partial change (PATCH) too."""

    lock_version = version_field()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "lock_version" not in attrs:
            raise serializers.ValidationError(
                {"lock_version": [gettext("Ange vilken version (lock_version) du utgick från.")]}
            )
        validated: dict[str, Any] = super().validate(attrs)
        return validated
