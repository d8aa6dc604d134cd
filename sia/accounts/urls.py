from django.contrib.auth import views as auth_views
from django.urls import path

from sia.accounts import views

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
]
