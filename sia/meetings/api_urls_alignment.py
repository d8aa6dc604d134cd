"""API of the SIA alignment, requested documents, referrals and guidance meeting."""

from django.urls import path

from sia.meetings import api_alignment as api

urlpatterns = [
    path(
        "cases/<uuid:case_id>/alignments/",
        api.AlignmentListCreateApi.as_view(),
        name="api-alignment-list",
    ),
    path(
        "cases/<uuid:case_id>/documents/",
        api.DocumentListApi.as_view(),
        name="api-document-list",
    ),
    path(
        "cases/<uuid:case_id>/referrals/",
        api.ReferralListCreateApi.as_view(),
        name="api-referral-list",
    ),
    path(
        "cases/<uuid:case_id>/referrals/<uuid:referral_id>/",
        api.ReferralDetailApi.as_view(),
        name="api-referral-detail",
    ),
    path(
        "cases/<uuid:case_id>/guidance-meetings/",
        api.GuidanceMeetingListCreateApi.as_view(),
        name="api-guidance-list",
    ),
    path(
        "cases/<uuid:case_id>/guidance-meetings/<uuid:meeting_id>/",
        api.GuidanceMeetingDetailApi.as_view(),
        name="api-guidance-detail",
    ),
    path(
        "cases/<uuid:case_id>/guidance-meetings/<uuid:meeting_id>/record/",
        api.GuidanceMeetingRecordApi.as_view(),
        name="api-guidance-record",
    ),
]
