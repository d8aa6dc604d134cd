"""Pages of assessments: the overview, talks, the future and health plan, and small POSTs."""

from django.urls import path

from sia.assessments import views

P = "arenden/<uuid:case_id>/"

urlpatterns = [
    path(P + "kartlaggning/", views.case_assessments, name="case-assessments"),
    path(P + "kartlaggning/samtal/<str:kind>/", views.assessment_talk, name="assessment-talk"),
    path(P + "kartlaggning/amnen/", views.topic_add, name="assessment-topic-add"),
    path(
        P + "kartlaggning/amnen/<uuid:topic_id>/tagits-upp/",
        views.topic_return,
        name="assessment-topic-return",
    ),
    path(P + "kartlaggning/hinder/", views.barrier_add, name="assessment-barrier-add"),
    path(
        P + "kartlaggning/hinder/<uuid:barrier_id>/undanrojt/",
        views.barrier_resolve,
        name="assessment-barrier-resolve",
    ),
    path(
        P + "kartlaggning/stegforflyttningar/", views.progress_add, name="assessment-progress-add"
    ),
    path(P + "kartlaggning/insatser/", views.enrolment_add, name="assessment-enrolment-add"),
    path(
        P + "kartlaggning/insatser/<uuid:enrolment_id>/utskrivning/",
        views.enrolment_discharge,
        name="assessment-enrolment-discharge",
    ),
    path(P + "framtidsplan/", views.future_plan, name="future-plan"),
    path(
        P + "framtidsplan/<uuid:plan_id>/beslutad/",
        views.future_plan_agree,
        name="future-plan-agree",
    ),
]
