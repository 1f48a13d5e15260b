"""Unprefixed: the API and the files' stable addresses are the same in every language."""

from django.urls import path

from portal.opendata import api, views

app_name = "opendata"

urlpatterns = [
    path("api/v1/questions/", api.question_list, name="api_questions"),
    path("api/v1/questions/<str:public_id>/", api.question_detail, name="api_question"),
    path("api/v1/openapi.json", api.openapi, name="openapi"),
    path("open-data/questions.<str:format>", views.download, name="download"),
]
