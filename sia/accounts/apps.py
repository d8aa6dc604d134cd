from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "sia.accounts"
    verbose_name = _("Organisationer och personal")

    def ready(self) -> None:
        from axes.signals import user_locked_out  # type: ignore[import-untyped]
        from django.contrib.auth.signals import user_logged_in

        from sia.accounts import receivers

        user_logged_in.connect(receivers.stamp_login_time, dispatch_uid="sia-login-time")
        user_locked_out.connect(receivers.audit_lockout, dispatch_uid="sia-lockout-audit")
