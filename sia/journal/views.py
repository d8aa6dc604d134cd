"""Pages of a case's journal: the journal with the form to write a note, one note with its
history, and the POSTs that correct a note or attach the person's objection.

A write is checked for the right to write before anything is read, so a refused POST logs
no read; a page that is shown records the read of the case (and a partner's disclosure).
"""

from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sia.audit.models import Channel
from sia.cases.models import Case
from sia.core.exceptions import DomainError
from sia.core.forms import add_domain_error
from sia.core.http import AuthenticatedHttpRequest
from sia.journal import services
from sia.journal.access import access_case_to_write, can_write_journal
from sia.journal.forms import CorrectionForm, EntryForm, ObjectionForm
from sia.journal.models import JournalEntry
from sia.journal.selectors import entry_history, get_case_for_journal, get_entry, list_entries


def journal(request: AuthenticatedHttpRequest, case_id: UUID) -> HttpResponse:
    """Show the case's journal, newest first, and write a note."""
    form = EntryForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        access_case_to_write(request.user, case_id)
        if form.is_valid():
            try:
                services.write_entry(
                    case_id=case_id,
                    written_by=request.user,
                    channel=Channel.WEB,
                    **form.cleaned_data,
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Anteckningen är signerad."))
                return redirect("journal", case_id=case_id)
    case = get_case_for_journal(request.user, case_id, channel=Channel.WEB)
    context = {
        "case": case,
        "entries": list(list_entries(case)),
        "may_write": can_write_journal(request.user, case),
        "form": form,
    }
    return render(request, "journal/journal.html", context)


def journal_entry(request: AuthenticatedHttpRequest, case_id: UUID, entry_id: UUID) -> HttpResponse:
    """Show one note with every version of it and the objections to it."""
    case = get_case_for_journal(request.user, case_id, channel=Channel.WEB)
    return _render_entry(request, case, get_entry(case, entry_id))


@require_POST
def journal_correct(
    request: AuthenticatedHttpRequest, case_id: UUID, entry_id: UUID
) -> HttpResponse:
    """Correct a note with a new one; the old one stays readable."""
    access_case_to_write(request.user, case_id)
    form = CorrectionForm(request.POST, auto_id="correction-%s")
    if form.is_valid():
        try:
            entry = services.correct_entry(
                case_id=case_id,
                entry_id=entry_id,
                written_by=request.user,
                channel=Channel.WEB,
                **form.cleaned_data,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, _("Rättelsen är signerad. Den tidigare anteckningen finns kvar.")
            )
            return redirect("journal-entry", case_id=case_id, entry_id=entry.pk)
    case = get_case_for_journal(request.user, case_id, channel=Channel.WEB)
    return _render_entry(request, case, get_entry(case, entry_id), correction_form=form)


@require_POST
def journal_objection(
    request: AuthenticatedHttpRequest, case_id: UUID, entry_id: UUID
) -> HttpResponse:
    """Attach the person's objection (avvikande mening) to a note."""
    access_case_to_write(request.user, case_id)
    form = ObjectionForm(request.POST)
    if form.is_valid():
        try:
            services.record_objection(
                case_id=case_id,
                entry_id=entry_id,
                recorded_by=request.user,
                channel=Channel.WEB,
                **form.cleaned_data,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Den avvikande meningen är registrerad."))
            return redirect("journal-entry", case_id=case_id, entry_id=entry_id)
    case = get_case_for_journal(request.user, case_id, channel=Channel.WEB)
    return _render_entry(request, case, get_entry(case, entry_id), objection_form=form)


def _render_entry(
    request: AuthenticatedHttpRequest,
    case: Case,
    entry: JournalEntry,
    *,
    correction_form: CorrectionForm | None = None,
    objection_form: ObjectionForm | None = None,
) -> HttpResponse:
    history = entry_history(case, entry)
    context = {
        "case": case,
        "entry": entry,
        "history": history,
        "newest": history[-1],
        "may_write": can_write_journal(request.user, case),
        "correction_form": correction_form or CorrectionForm.of(entry),
        "objection_form": objection_form or ObjectionForm(),
    }
    return render(request, "journal/entry.html", context)
