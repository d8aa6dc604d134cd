"""Pages to import existing cases: upload and check, then confirm."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sia.core.exceptions import NotFoundOrForbidden
from sia.core.http import AuthenticatedHttpRequest
from sia.core.uploads import UploadRefused
from sia.imports import services
from sia.imports.access import can_import_cases
from sia.imports.blank_files import template_csv, template_xlsx
from sia.imports.columns import COLUMNS
from sia.imports.forms import UploadForm
from sia.imports.reader import max_rows

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _page(request: AuthenticatedHttpRequest, form: UploadForm, **context: Any) -> HttpResponse:
    return render(
        request,
        "imports/upload.html",
        {"form": form, "columns": COLUMNS, "max_rows": max_rows(), **context},
    )


def upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Upload a file and check every row; a file without errors goes on to confirmation."""
    if not can_import_cases(request.user):
        raise NotFoundOrForbidden
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _page(request, form)
    try:
        result = services.check_import(user=request.user, upload=form.cleaned_data["file"])
    except UploadRefused as error:
        form.add_error("file", str(error.message))
        return _page(request, form)
    if result.pending is not None:
        return redirect("import-confirm", pending_id=result.pending.pk)
    return _page(request, form, result=result)


def confirm(request: AuthenticatedHttpRequest, pending_id: UUID) -> HttpResponse:
    """Show what a checked file will import; on POST, import all of it or nothing."""
    try:
        if request.method == "POST":
            result = services.make_import(user=request.user, pending_id=pending_id)
        else:
            result = services.read_pending(user=request.user, pending_id=pending_id)
    except services.ImportExpired as error:
        messages.error(request, str(error.message))
        return redirect("import-upload")
    if request.method == "POST" and result.ok:
        count = len(result.cases)
        messages.success(
            request,
            ngettext("%(count)d ärende importerades.", "%(count)d ärenden importerades.", count)
            % {"count": count},
        )
        return redirect("case-list")
    if not result.ok:
        messages.error(request, _("Inget importerades: uppgifterna har ändrats sedan kontrollen."))
        return _page(request, UploadForm(), result=result)
    return render(request, "imports/confirm.html", {"result": result})


def template_file(request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
    """Download the empty import file, as CSV or XLSX."""
    if not can_import_cases(request.user) or kind not in ("csv", "xlsx"):
        raise NotFoundOrForbidden
    if kind == "csv":
        response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(template_xlsx(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="import-arenden.{kind}"'
    return response
