"""Pages to find, register, see and change newcomers."""

from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from sia.accounts.selectors import intake_units
from sia.audit.models import Channel
from sia.cases.emergency import list_emergency_offers
from sia.cases.models import Case
from sia.cases.selectors import list_cases_of_person, read_cases
from sia.consent.selectors import valid_consents_for_person_page
from sia.core.exceptions import DomainError, NotFoundOrForbidden, ValidationFailed
from sia.core.forms import add_domain_error
from sia.core.http import AuthenticatedHttpRequest
from sia.people import services
from sia.people.access import can_change_person, can_make_extract, can_register_person
from sia.people.extract import (
    ExtractFormat,
    RegisterExtract,
    extract_json,
    get_person_for_extract,
    make_extract,
)
from sia.people.extract_pdf import extract_pdf
from sia.people.forms import (
    HouseholdLinkForm,
    PersonFieldsForm,
    RegisterPersonForm,
    SearchForm,
    person_initial,
)
from sia.people.models import Person
from sia.people.selectors import (
    find_visible_by_identifier,
    get_person,
    list_relatives,
    read_people,
    search_people,
)

NO_SUCH_RELATIVE = gettext_lazy(
    "Ingen person som du har åtkomst till har det numret. Registrera den anhöriga först."
)


def search(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Search before registering, so the same person is not registered twice."""
    if not can_register_person(request.user):
        raise NotFoundOrForbidden
    form = SearchForm(request.POST or None)
    result = None
    offers: list[Case] = []
    if form.is_valid():
        try:
            result = search_people(request.user, channel=Channel.WEB, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error, default_field="identifier")
        else:
            offers = list_emergency_offers(
                request.user, people=result.matches, identifier=form.cleaned_data["identifier"]
            )
    return render(
        request, "people/search.html", {"form": form, "result": result, "emergency_offers": offers}
    )


def register(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Register a newcomer found missing by the search."""
    units = intake_units(request.user)
    if not units:
        raise NotFoundOrForbidden
    form = RegisterPersonForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.register_person(
                registered_by=request.user, channel=Channel.WEB, **_register_args(form)
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Personen är registrerad."))
            return redirect("person-detail", person_id=person.pk)
    return render(request, "people/register.html", {"form": form})


def _register_args(form: RegisterPersonForm) -> dict[str, Any]:
    data = form.cleaned_data
    identifiers = []
    if data["identifier_kind"]:
        identifiers.append(
            services.IdentifierInput(kind=data["identifier_kind"], value=data["identifier_value"])
        )
    fields = {name: data[name] for name in PersonFieldsForm.base_fields}
    return {
        "unit_id": data["unit"].pk,
        "data": services.PersonInput(**fields),
        "identifiers": identifiers,
        "confirmed_not_duplicate": data["confirmed_not_duplicate"],
    }


def detail(request: AuthenticatedHttpRequest, person_id: UUID) -> HttpResponse:
    """Show a person, their identifiers, household and cases."""
    person = get_person(request.user, person_id, channel=Channel.WEB)
    form = HouseholdLinkForm() if can_change_person(request.user, person) else None
    return render(request, "people/detail.html", _detail_context(request, person, form))


def _detail_context(
    request: AuthenticatedHttpRequest, person: Person, form: HouseholdLinkForm | None
) -> dict[str, object]:
    """Everything the person page shows; relatives and cases shown are audited as reads."""
    relatives = list_relatives(request.user, person)
    read_people(request.user, [relative for _label, relative in relatives], channel=Channel.WEB)
    cases = list(list_cases_of_person(request.user, person.pk))
    read_cases(request.user, cases, channel=Channel.WEB)
    return {
        "person": person,
        "relatives": relatives,
        "cases": cases,
        "can_change": can_change_person(request.user, person),
        "can_open_case": bool(intake_units(request.user)),
        "can_make_extract": can_make_extract(request.user, person),
        "household_form": form,
        "consents": valid_consents_for_person_page(request.user, person),
    }


@require_POST
def link_relative(request: AuthenticatedHttpRequest, person_id: UUID) -> HttpResponse:
    """Link a registered relative to the person's household, found by identifier."""
    person = get_person(request.user, person_id, channel=Channel.WEB)
    if not can_change_person(request.user, person):
        raise NotFoundOrForbidden
    form = HouseholdLinkForm(request.POST)
    if form.is_valid():
        try:
            relative = find_visible_by_identifier(
                request.user, form.cleaned_data["relative_identifier"]
            )
            if relative is None:
                raise ValidationFailed(NO_SUCH_RELATIVE, field="relative_identifier")
            services.link_household(
                linked_by=request.user,
                person_id=person.pk,
                relative_id=relative.pk,
                relation=form.cleaned_data["relation"],
                channel=Channel.WEB,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Den anhöriga är kopplad till hushållet."))
            return redirect("person-detail", person_id=person.pk)
    return render(request, "people/detail.html", _detail_context(request, person, form), status=400)


def change(request: AuthenticatedHttpRequest, person_id: UUID) -> HttpResponse:
    """Change a person's details; every change is audited."""
    person = get_person(request.user, person_id, channel=Channel.WEB)
    if not can_change_person(request.user, person):
        raise NotFoundOrForbidden
    form = PersonFieldsForm(request.POST or None, initial=person_initial(person))
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.update_person(
                changed_by=request.user, person_id=person.pk, changes=changes, channel=Channel.WEB
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect("person-detail", person_id=person.pk)
    return render(request, "people/change.html", {"form": form, "person": person})


class ExtractFormatForm(forms.Form):
    """Which file of the register extract to produce."""

    format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=ExtractFormat.choices,
        error_messages={
            "required": gettext_lazy("Välj PDF eller JSON."),
            "invalid_choice": gettext_lazy("Välj PDF eller JSON."),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def extract(request: AuthenticatedHttpRequest, person_id: UUID) -> HttpResponse:
    """Explain the register extract; a POST produces it (audited) as PDF or JSON."""
    form = ExtractFormatForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        output = ExtractFormat(form.cleaned_data["format"])
        made = make_extract(request.user, person_id, output=output, channel=Channel.WEB)
        return _extract_file(made, output)
    person = get_person_for_extract(request.user, person_id, channel=Channel.WEB)
    context = {"person": person, "form": form, "formats": ExtractFormat}
    status = 400 if form.is_bound else 200
    return render(request, "people/extract.html", context, status=status)


def _extract_file(made: RegisterExtract, output: ExtractFormat) -> HttpResponse:
    if output == ExtractFormat.PDF:
        response = HttpResponse(extract_pdf(made), content_type="application/pdf")
    else:
        response = HttpResponse(extract_json(made), content_type="application/json; charset=utf-8")
    name = f"registerutdrag-{made.produced_at.date().isoformat()}.{output.value}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
