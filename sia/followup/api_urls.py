from django.urls import path

from sia.followup import api

urlpatterns = [
    path("followup/<slug:slug>/", api.DashboardApi.as_view(), name="api-followup-dashboard"),
]
