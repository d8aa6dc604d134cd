"""The live banner's call-ins, on every page of a signed-in user (mounted at /anrop/)."""

from django.urls import path

from sia.meetings import views_first_visit as views

urlpatterns = [
    path("", views.guide_calls_poll, name="guide-calls-poll"),
    path("<uuid:call_id>/svar/", views.guide_call_answer, name="guide-call-answer"),
]
