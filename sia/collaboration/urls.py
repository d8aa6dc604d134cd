"""Pages of meetings across organisations: SIP, SamSIP, network, joint planning, case review."""

from django.urls import path

from sia.collaboration import views

M = "moten/<uuid:meeting_id>/"

urlpatterns = [
    path("arenden/<uuid:case_id>/moten/", views.case_meetings, name="case-meetings"),
    path("moten/", views.meetings, name="meetings"),
    path(M, views.meeting_detail, name="meeting-detail"),
    path(M + "andra/", views.meeting_update, name="meeting-update"),
    path(M + "parter/", views.meeting_party, name="meeting-party"),
    path(M + "samtycke/", views.meeting_consent, name="meeting-consent"),
    path(M + "kallelser/", views.meeting_invitations, name="meeting-invitations"),
    path(M + "tolk/", views.meeting_interpreter, name="meeting-interpreter"),
    path(
        M + "tolk/bekrafta/",
        views.meeting_interpreter_confirm,
        name="meeting-interpreter-confirm",
    ),
    path(
        M + "tolk/avboka/",
        views.meeting_interpreter_cancel,
        name="meeting-interpreter-cancel",
    ),
    path(M + "dokumentation/", views.meeting_minutes, name="meeting-minutes"),
    path(M + "uppfoljning/", views.meeting_follow_up, name="meeting-follow-up"),
    path(
        M + "parter/<uuid:party_id>/signering/",
        views.meeting_signature,
        name="meeting-signature",
    ),
    path(M + "parter/<uuid:party_id>/kopia/", views.meeting_copy, name="meeting-copy"),
    path(M + "installt/", views.meeting_cancel, name="meeting-cancel"),
    path(M + "dagordning/", views.meeting_agenda_item, name="meeting-agenda-item"),
    path(
        M + "dagordning/<uuid:item_id>/beslut/",
        views.meeting_decision,
        name="meeting-decision",
    ),
    path(M + "dagordning/<uuid:item_id>/uppgift/", views.meeting_task, name="meeting-task"),
    path(
        M + "kallelse/<uuid:party_id>/",
        views.meeting_invitation,
        name="meeting-invitation",
    ),
    path(M + "kalender.ics", views.meeting_calendar, name="meeting-ics"),
]
