"""Configuration admin: organisations, units, staff and roles. No case content here."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy, ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from sia.accounts.models import Membership, Organisation, Unit, User
from sia.accounts.two_factor import reset_second_factor
from sia.audit.models import Channel

# django-otp's own admin pages show the authenticator secrets and let anyone edit them;
# an administrator resets a user's two-factor sign-in with the audited action below.
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


class UnitInline(admin.TabularInline[Unit, Organisation]):
    model = Unit
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    inlines = [UnitInline]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin[Unit]):
    list_display = ["name", "kind", "organisation"]
    list_filter = ["kind", "organisation"]
    search_fields = ["name"]
    list_select_related = ["organisation"]


class MembershipInline(admin.TabularInline[Membership, User]):
    model = Membership
    extra = 1
    autocomplete_fields = ["unit"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "is_active", "is_staff"]
    actions = ["reset_two_factor"]

    @admin.action(description=gettext_lazy("Nollställ tvåstegsverifiering (tappad telefon)"))
    def reset_two_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        """Remove the users' authenticators and recovery codes; they enrol again."""
        if not isinstance(request.user, User):
            return
        users = list(queryset)
        for user in users:
            reset_second_factor(user=user, reset_by=request.user, channel=Channel.WEB)
        count = len(users)
        self.message_user(
            request,
            ngettext(
                "Tvåstegsverifieringen nollställdes för %(count)d användare. Vid nästa "
                "inloggning kopplar användaren en ny app.",
                "Tvåstegsverifieringen nollställdes för %(count)d användare. Vid nästa "
                "inloggning kopplar de en ny app.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
