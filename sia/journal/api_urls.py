"""API of a case's journal: notes, corrections and objections (never PUT, PATCH or DELETE)."""

from django.urls import path

from sia.journal import api

J = "cases/<uuid:case_id>/journal/"

urlpatterns = [
    path(J, api.JournalListCreateApi.as_view(), name="api-journal-list"),
    path(J + "<uuid:entry_id>/", api.JournalEntryApi.as_view(), name="api-journal-entry"),
    path(
        J + "<uuid:entry_id>/corrections/",
        api.JournalCorrectionApi.as_view(),
        name="api-journal-correction",
    ),
    path(
        J + "<uuid:entry_id>/objections/",
        api.JournalObjectionApi.as_view(),
        name="api-journal-objection",
    ),
]
