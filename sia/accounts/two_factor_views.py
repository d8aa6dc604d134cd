"""Pages of the two-factor sign-in: the code step, enrolment, and the user's own settings."""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.models import Device

from sia.accounts import two_factor
from sia.accounts.forms import AppCodeForm, CodeForm
from sia.accounts.sessions import SECOND_FACTOR_KEY, mark_second_factor_done, second_factor_done
from sia.accounts.two_factor import Enrolment, Verification
from sia.core.http import AuthenticatedHttpRequest

LOCKED_OUT_STATUS = 429
# While set (a timestamp), this session may enrol a new app after giving a current code.
REENROL_KEY = "sia_reenrol_until"
REENROL_SECONDS = 10 * 60
# Before the second factor a page shows no call-in banner: it names people.
NO_BANNER: dict[str, object] = {"open_guide_calls": []}


def next_url(request: HttpRequest) -> str:
    """Return the page to continue to: ``next`` when it is on this site, else the start page."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, request: HttpRequest) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url(request)})}"


def _pass_second_factor(request: HttpRequest, method: str, device: Device | None) -> None:
    # A new session key once the sign-in is complete, as at the password step.
    request.session.cycle_key()
    mark_second_factor_done(request.session, method)
    if device is not None:
        otp_login(request, device)


def _explain_refusal(form: CodeForm | AppCodeForm, outcome: Verification) -> int:
    """Put the reason on the form and return the status code to answer with."""
    if outcome.locked_until is not None:
        time = timezone.localtime(outcome.locked_until).strftime("%H:%M")
        form.add_error(
            "code",
            _(
                "För många felaktiga koder. Inloggningen är spärrad en stund; försök igen "
                "tidigast klockan %(time)s."
            )
            % {"time": time},
        )
        return LOCKED_OUT_STATUS
    if outcome.wait_until is not None:
        form.add_error("code", _("Vänta några sekunder och försök sedan igen med en ny kod."))
        return LOCKED_OUT_STATUS
    form.add_error(
        "code",
        _("Koden stämmer inte. Ange koden som appen visar just nu, eller en oanvänd reservkod."),
    )
    return 200


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Ask for a code from the app or a recovery code, then continue to ``next``."""
    if second_factor_done(request.session):
        return redirect(next_url(request))
    if not two_factor.has_confirmed_device(request.user):
        return redirect(_with_next("two-factor-enrol", request))
    form = CodeForm(request.POST or None)
    status = 200
    if form.is_valid():
        outcome = two_factor.verify_second_factor(user=request.user, code=form.cleaned_data["code"])
        if outcome.passed and outcome.method is not None:
            _pass_second_factor(request, outcome.method, outcome.device)
            if outcome.method == two_factor.METHOD_RECOVERY:
                _say_codes_left(request)
            return redirect(next_url(request))
        status = _explain_refusal(form, outcome)
    context = {"form": form, "next": next_url(request), **NO_BANNER}
    return render(request, "accounts/two_factor_verify.html", context, status=status)


def _say_codes_left(request: AuthenticatedHttpRequest) -> None:
    left = two_factor.count_recovery_codes(request.user)
    messages.warning(
        request,
        ngettext(
            "Du loggade in med en reservkod. Du har %(count)d reservkod kvar.",
            "Du loggade in med en reservkod. Du har %(count)d reservkoder kvar.",
            left,
        )
        % {"count": left},
    )


def _may_enrol(request: AuthenticatedHttpRequest) -> bool:
    if not two_factor.has_confirmed_device(request.user):
        return True
    until = request.session.get(REENROL_KEY, 0)
    return second_factor_done(request.session) and until > timezone.now().timestamp()


@never_cache
@require_http_methods(["GET", "POST"])
def enrol(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Show the QR code and the secret of a new authenticator; confirm it with a code."""
    if not _may_enrol(request):
        return redirect(_with_next("two-factor-verify", request))
    device = two_factor.pending_device(request.user)
    form = AppCodeForm(request.POST or None)
    status = 200
    if form.is_valid():
        outcome = two_factor.confirm_enrolment(
            user=request.user, device_id=device.pk, code=form.cleaned_data["code"]
        )
        if isinstance(outcome, Enrolment):
            request.session.pop(REENROL_KEY, None)
            _pass_second_factor(request, two_factor.METHOD_TOTP, outcome.device)
            return _show_recovery_codes(request, outcome.recovery_codes, first_time=True)
        status = _explain_refusal(form, outcome)
    context = {
        "form": form,
        "next": next_url(request),
        "qr_code": two_factor.qr_code_data_uri(device),
        "secret": two_factor.secret_for_manual_entry(device),
        "reenrol": two_factor.has_confirmed_device(request.user),
        **NO_BANNER,
    }
    return render(request, "accounts/two_factor_enrol.html", context, status=status)


def _show_recovery_codes(
    request: AuthenticatedHttpRequest, codes: list[str], *, first_time: bool
) -> HttpResponse:
    # Shown once, in the answer to the POST that made them; never stored for later display.
    context = {"codes": codes, "next": next_url(request), "first_time": first_time}
    return render(request, "accounts/two_factor_recovery_codes.html", context)


def _account_context(request: AuthenticatedHttpRequest, form: CodeForm) -> dict[str, object]:
    device = two_factor.confirmed_device(request.user)
    return {
        "device": device,
        "enrolled_at": device.created_at if device else None,
        "codes_left": two_factor.count_recovery_codes(request.user),
        "method": request.session.get(SECOND_FACTOR_KEY, ""),
        "form": form,
    }


def _code_needed(request: AuthenticatedHttpRequest) -> bool:
    """A session without the second factor may not change it (also when not required)."""
    return two_factor.has_confirmed_device(request.user) and not second_factor_done(request.session)


@never_cache
@require_http_methods(["GET"])
def account(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Show the user's two-factor status, with new recovery codes and a change of app."""
    if _code_needed(request):
        return redirect(_with_next("two-factor-verify", request))
    context = _account_context(request, CodeForm())
    return render(request, "accounts/two_factor_account.html", context)


@never_cache
@require_POST
def renew_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Make new recovery codes and show them once; the old ones stop working."""
    if _code_needed(request) or not two_factor.has_confirmed_device(request.user):
        return redirect("two-factor-account")
    codes = two_factor.renew_recovery_codes(user=request.user)
    return _show_recovery_codes(request, codes, first_time=False)


@never_cache
@require_POST
def start_reenrolment(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Check a current code, then let this session enrol a new app for a short while."""
    if _code_needed(request):
        return redirect(_with_next("two-factor-verify", request))
    form = CodeForm(request.POST)
    if form.is_valid():
        outcome = two_factor.verify_second_factor(user=request.user, code=form.cleaned_data["code"])
        if outcome.passed:
            until = timezone.now() + dt.timedelta(seconds=REENROL_SECONDS)
            request.session[REENROL_KEY] = until.timestamp()
            return redirect("two-factor-enrol")
        status = _explain_refusal(form, outcome)
    else:
        status = 200
    context = _account_context(request, form)
    return render(request, "accounts/two_factor_account.html", context, status=status)
