from django.contrib.auth import views as auth_views
from django.urls import path

from sia.accounts import two_factor_views, views

urlpatterns = [
    path("", views.start, name="start"),
    path(
        "logga-in/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("logga-ut-overallt/", views.log_out_everywhere, name="logout-everywhere"),
    path("tvastegsverifiering/", two_factor_views.verify, name="two-factor-verify"),
    path("tvastegsverifiering/aktivera/", two_factor_views.enrol, name="two-factor-enrol"),
    path("konto/tvastegsverifiering/", two_factor_views.account, name="two-factor-account"),
    path(
        "konto/tvastegsverifiering/reservkoder/",
        two_factor_views.renew_codes,
        name="two-factor-renew-codes",
    ),
    path(
        "konto/tvastegsverifiering/byt-app/",
        two_factor_views.start_reenrolment,
        name="two-factor-reenrol",
    ),
]
