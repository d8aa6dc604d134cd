"""Pages of the SIA plan: versions, print view and PDF."""

from django.urls import path

from sia.plans import views

urlpatterns = [
    path("<uuid:case_id>/sia-plan/", views.plan, name="plan"),
    path(
        "<uuid:case_id>/sia-plan/<uuid:plan_id>/overenskommen/",
        views.plan_agree,
        name="plan-agree",
    ),
    path(
        "<uuid:case_id>/sia-plan/<uuid:plan_id>/aktiviteter/<uuid:activity_id>/status/",
        views.plan_activity_status,
        name="plan-activity-status",
    ),
    path("<uuid:case_id>/sia-plan/<uuid:plan_id>/utskrift/", views.plan_print, name="plan-print"),
    path("<uuid:case_id>/sia-plan/<uuid:plan_id>/pdf/", views.plan_pdf, name="plan-pdf"),
]
