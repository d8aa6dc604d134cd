"""Pages of teamwork: the case team with its shared action plan, and consultations."""

from django.urls import path

from sia.teamwork import views

urlpatterns = [
    path("arenden/<uuid:case_id>/team/", views.case_team, name="case-team"),
    path(
        "arenden/<uuid:case_id>/team/medlemmar/",
        views.team_member_add,
        name="case-team-member-add",
    ),
    path(
        "arenden/<uuid:case_id>/team/medlemmar/<uuid:user_id>/ta-bort/",
        views.team_member_remove,
        name="case-team-member-remove",
    ),
    path("arenden/<uuid:case_id>/team/uppgifter/", views.task_add, name="case-task-add"),
    path(
        "arenden/<uuid:case_id>/team/uppgifter/<uuid:task_id>/status/",
        views.task_status,
        name="case-task-status",
    ),
    path(
        "arenden/<uuid:case_id>/konsultationer/",
        views.case_consultations,
        name="case-consultations",
    ),
    path("konsultationer/", views.consultations, name="consultations"),
    path(
        "konsultationer/<uuid:consultation_id>/svar/",
        views.consultation_answer,
        name="consultation-answer",
    ),
    path(
        "konsultationer/<uuid:consultation_id>/aterta/",
        views.consultation_withdraw,
        name="consultation-withdraw",
    ),
]
