from django.urls import path

from sia.audit import views

urlpatterns = [path("", views.audit_list, name="audit-list")]
