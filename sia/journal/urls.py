"""Pages of a case's journal: the journal, one note, and the correction and objection POSTs."""

from django.urls import path

from sia.journal import views

P = "arenden/<uuid:case_id>/journal/"

urlpatterns = [
    path(P, views.journal, name="journal"),
    path(P + "<uuid:entry_id>/", views.journal_entry, name="journal-entry"),
    path(P + "<uuid:entry_id>/rattelse/", views.journal_correct, name="journal-correct"),
    path(
        P + "<uuid:entry_id>/avvikande-mening/",
        views.journal_objection,
        name="journal-objection",
    ),
]
