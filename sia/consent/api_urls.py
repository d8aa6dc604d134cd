"""API of consent."""

from django.urls import path

from sia.consent import api

urlpatterns = [
    path(
        "persons/<uuid:person_id>/consents/",
        api.ConsentListCreateApi.as_view(),
        name="api-consent-list",
    ),
    path(
        "persons/<uuid:person_id>/consents/<uuid:consent_id>/",
        api.ConsentDetailApi.as_view(),
        name="api-consent-detail",
    ),
    path(
        "persons/<uuid:person_id>/consents/<uuid:consent_id>/withdraw/",
        api.ConsentWithdrawApi.as_view(),
        name="api-consent-withdraw",
    ),
    path(
        "persons/<uuid:person_id>/disclosures/",
        api.DisclosureListApi.as_view(),
        name="api-disclosure-list",
    ),
]
