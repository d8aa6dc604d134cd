"""API of assessments: talks, the future and health plan, progress, barriers, postponed
topics and enrolments of a case."""

from django.urls import path

from sia.assessments import api

C = "cases/<uuid:case_id>/"

urlpatterns = [
    path(
        C + "assessment-talks/",
        api.TalkListCreateApi.as_view(),
        name="api-assessment-talk-list",
    ),
    path(
        C + "future-plans/",
        api.FuturePlanListCreateApi.as_view(),
        name="api-future-plan-list",
    ),
    path(
        C + "future-plans/<uuid:plan_id>/agree/",
        api.FuturePlanAgreeApi.as_view(),
        name="api-future-plan-agree",
    ),
    path(
        C + "progress-steps/",
        api.ProgressListCreateApi.as_view(),
        name="api-progress-step-list",
    ),
    path(C + "barriers/", api.BarrierListCreateApi.as_view(), name="api-barrier-list"),
    path(
        C + "barriers/<uuid:barrier_id>/resolve/",
        api.BarrierResolveApi.as_view(),
        name="api-barrier-resolve",
    ),
    path(
        C + "postponed-topics/",
        api.TopicListCreateApi.as_view(),
        name="api-postponed-topic-list",
    ),
    path(
        C + "postponed-topics/<uuid:topic_id>/return/",
        api.TopicReturnApi.as_view(),
        name="api-postponed-topic-return",
    ),
    path(C + "enrolments/", api.EnrolmentListCreateApi.as_view(), name="api-enrolment-list"),
    path(
        C + "enrolments/<uuid:enrolment_id>/discharge/",
        api.EnrolmentDischargeApi.as_view(),
        name="api-enrolment-discharge",
    ),
]
