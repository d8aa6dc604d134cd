"""API of teamwork: case team members, the shared action plan and consultations."""

from django.urls import path

from sia.teamwork import api

urlpatterns = [
    path(
        "cases/<uuid:case_id>/team-members/",
        api.TeamMemberListApi.as_view(),
        name="api-team-member-list",
    ),
    path(
        "cases/<uuid:case_id>/team-members/<uuid:user_id>/",
        api.TeamMemberDetailApi.as_view(),
        name="api-team-member-detail",
    ),
    path("cases/<uuid:case_id>/tasks/", api.TaskListApi.as_view(), name="api-task-list"),
    path(
        "cases/<uuid:case_id>/tasks/<uuid:task_id>/",
        api.TaskDetailApi.as_view(),
        name="api-task-detail",
    ),
    path("consultations/", api.ConsultationListApi.as_view(), name="api-consultation-list"),
    path(
        "consultations/<uuid:consultation_id>/answer/",
        api.ConsultationAnswerApi.as_view(),
        name="api-consultation-answer",
    ),
    path(
        "consultations/<uuid:consultation_id>/withdraw/",
        api.ConsultationWithdrawApi.as_view(),
        name="api-consultation-withdraw",
    ),
]
