"""Top-level URLs: pages, the REST API, its schema and the configuration admin."""

from csp.decorators import csp_update
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

urlpatterns = [
    path("", include("sia.accounts.urls")),
    path("personer/", include("sia.people.urls")),
    path("arenden/", include("sia.cases.urls")),
    path("arenden/", include("sia.meetings.urls")),
    path("arenden/", include("sia.plans.urls")),
    path("anrop/", include("sia.meetings.urls_guide_calls")),
    path("", include("sia.consent.urls")),
    path("", include("sia.teamwork.urls")),
    path("", include("sia.collaboration.urls")),
    path("", include("sia.assessments.urls")),
    path("", include("sia.groups.urls")),
    path("", include("sia.decisions.urls")),
    path("", include("sia.settlement.urls")),
    path("", include("sia.establishment.urls")),
    path("", include("sia.journal.urls")),
    path("", include("sia.followup.urls")),
    path("", include("sia.process.urls")),
    path("logg/", include("sia.audit.urls")),
    path("import/", include("sia.imports.urls")),
    path("gallring/", include("sia.retention.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI's page has an inline <style>; its script is served as a file (split view).
    path(
        "api/docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
]

# A database error outside a view (session, signed-in user) still gets the 503 page.
handler500 = "sia.core.middleware.handle_server_error"
# An API address that does not exist answers in JSON, like every other API error.
handler404 = "sia.core.api.not_found"

# Single sign-on (sia/accounts/oidc.py) has no URLs at all unless it is configured.
if settings.SIA_OIDC_ENABLED:
    urlpatterns.append(path("oidc/", include("sia.accounts.oidc")))
