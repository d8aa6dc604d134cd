"""API of meetings across organisations."""

from django.urls import path

from sia.collaboration import api

M = "meetings/<uuid:meeting_id>/"

urlpatterns = [
    path("meetings/", api.MeetingListCreateApi.as_view(), name="api-meeting-list"),
    path(M, api.MeetingDetailApi.as_view(), name="api-meeting-detail"),
    path(M + "parties/", api.MeetingPartyApi.as_view(), name="api-meeting-parties"),
    path(M + "consent/", api.MeetingConsentApi.as_view(), name="api-meeting-consent"),
    path(M + "invitations/", api.MeetingInvitationsApi.as_view(), name="api-meeting-invitations"),
    path(M + "interpreter/", api.MeetingInterpreterApi.as_view(), name="api-meeting-interpreter"),
    path(
        M + "interpreter/confirm/",
        api.MeetingInterpreterConfirmApi.as_view(),
        name="api-meeting-interpreter-confirm",
    ),
    path(
        M + "interpreter/cancel/",
        api.MeetingInterpreterCancelApi.as_view(),
        name="api-meeting-interpreter-cancel",
    ),
    path(M + "minutes/", api.MeetingMinutesApi.as_view(), name="api-meeting-minutes"),
    path(M + "follow-up/", api.MeetingFollowUpApi.as_view(), name="api-meeting-follow-up"),
    path(
        M + "parties/<uuid:party_id>/signature/",
        api.MeetingSignatureApi.as_view(),
        name="api-meeting-signature",
    ),
    path(
        M + "parties/<uuid:party_id>/copy/",
        api.MeetingCopyApi.as_view(),
        name="api-meeting-copy",
    ),
    path(M + "cancel/", api.MeetingCancelApi.as_view(), name="api-meeting-cancel"),
    path(M + "agenda-items/", api.MeetingAgendaItemApi.as_view(), name="api-meeting-agenda-items"),
    path(
        M + "agenda-items/<uuid:item_id>/decision/",
        api.MeetingDecisionApi.as_view(),
        name="api-meeting-decision",
    ),
]
