"""Pages of the SIA alignment, requested documents, referrals and guidance meeting."""

from django.urls import path

from sia.meetings import views_alignment as views

urlpatterns = [
    path("<uuid:case_id>/avstamning/", views.alignment, name="alignment"),
    path("<uuid:case_id>/handlingar/", views.documents, name="documents"),
    path("<uuid:case_id>/remisser/", views.referrals, name="referrals"),
    path("<uuid:case_id>/samhallsvagledning/", views.guidance, name="guidance"),
]
