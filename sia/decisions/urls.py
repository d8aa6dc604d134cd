"""Pages of decisions on support."""

from django.urls import path

from sia.decisions import views

BASE = "arenden/<uuid:case_id>/beslut/"
ONE = BASE + "<uuid:decision_id>/"

urlpatterns = [
    path(BASE, views.case_decisions, name="case-decisions"),
    path(ONE, views.decision_detail, name="decision-detail"),
    path(ONE + "utskrift/", views.decision_print, name="decision-print"),
    path(ONE + "underrattad/", views.decision_informed, name="decision-informed"),
    path(ONE + "plan/", views.decision_plan, name="decision-plan"),
    path(ONE + "plan/punkter/", views.decision_plan_item, name="decision-plan-item"),
    path(
        ONE + "plan/punkter/<uuid:item_id>/",
        views.decision_item_mark,
        name="decision-item-mark",
    ),
    path(ONE + "logg/", views.decision_log, name="decision-log"),
    path(ONE + "uppfoljningar/", views.decision_follow_up, name="decision-follow-up"),
    path(ONE + "avsluta/", views.decision_end, name="decision-end"),
    path("utforare/", views.provider_queue, name="provider-queue"),
]
