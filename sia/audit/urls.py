from django.urls import path

from sia.audit import views

urlpatterns = [
    path("", views.audit_list, name="audit-list"),
    path("kontroll/", views.sample, name="audit-sample"),
    path("avvikelser/", views.unusual, name="audit-unusual"),
]
