"""Pages of a person's consents: the list and a new consent, one consent with its
withdrawal and disclosures, and the print view for the person."""

from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from sia.audit.models import Channel
from sia.consent import services
from sia.consent.forms import ConsentForm, WithdrawalForm
from sia.consent.selectors import (
    consent_rows,
    consent_status,
    get_consent,
    get_consent_for_print,
    get_person_with_consents,
    list_disclosures,
    recipient_organisations,
    recipient_units,
)
from sia.core.exceptions import DomainError
from sia.core.forms import add_domain_error
from sia.core.http import AuthenticatedHttpRequest


def consent_list(request: AuthenticatedHttpRequest, person_id: UUID) -> HttpResponse:
    """List the person's consents and record a new one."""
    person = get_person_with_consents(request.user, person_id, channel=Channel.WEB)
    form = ConsentForm(
        request.POST if request.method == "POST" else None,
        organisations=recipient_organisations(person),
        units=recipient_units(person),
    )
    if request.method == "POST" and form.is_valid():
        try:
            consent = services.record_consent(
                actor=request.user, person_id=person.pk, channel=Channel.WEB, **form.service_args()
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Samtycket är dokumenterat."))
            return redirect("consent-detail", person_id=person.pk, consent_id=consent.pk)
    status = 400 if request.method == "POST" else 200
    context = {"person": person, "rows": consent_rows(person), "form": form}
    return render(request, "consent/list.html", context, status=status)


def consent_detail(
    request: AuthenticatedHttpRequest, person_id: UUID, consent_id: UUID
) -> HttpResponse:
    """Show one consent, what was disclosed under it, and record its withdrawal."""
    person = get_person_with_consents(request.user, person_id, channel=Channel.WEB)
    consent = get_consent(person, consent_id)
    form = WithdrawalForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_consent(
                actor=request.user, consent_id=consent.pk, channel=Channel.WEB, **form.cleaned_data
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Återkallelsen är dokumenterad."))
            return redirect("consent-detail", person_id=person.pk, consent_id=consent.pk)
    status_text, is_valid = consent_status(consent, timezone.localdate())
    context = {
        "person": person,
        "consent": consent,
        "status": status_text,
        "is_valid": is_valid,
        "form": form if consent.withdrawn_on is None else None,
        "disclosures": list_disclosures(person, consent),
    }
    return render(
        request,
        "consent/detail.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


@never_cache
def consent_print(
    request: AuthenticatedHttpRequest, person_id: UUID, consent_id: UUID
) -> HttpResponse:
    """Show in plain words what the person consented to, to print and hand over."""
    person, consent = get_consent_for_print(
        request.user, person_id, consent_id, channel=Channel.WEB
    )
    status_text, _valid = consent_status(consent, timezone.localdate())
    context = {"person": person, "consent": consent, "status": status_text}
    return render(request, "consent/print.html", context)
