"""Pages of the first visit and the call-in of the standby guide."""

from django.urls import path

from sia.meetings import views_first_visit as views

urlpatterns = [
    path("<uuid:case_id>/nybesok/", views.first_visit, name="first-visit"),
    path("<uuid:case_id>/nybesok/kalla-in/", views.guide_call, name="guide-call"),
]
