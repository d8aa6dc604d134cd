from django.urls import path

from sia.people import views

urlpatterns = [
    path("sok/", views.search, name="person-search"),
    path("ny/", views.register, name="person-register"),
    path("<uuid:person_id>/", views.detail, name="person-detail"),
    path("<uuid:person_id>/andra/", views.change, name="person-change"),
    path("<uuid:person_id>/hushall/", views.link_relative, name="person-link-relative"),
    path("<uuid:person_id>/registerutdrag/", views.extract, name="person-extract"),
]
