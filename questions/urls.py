from django.urls import path

from questions import views

app_name = "questions"

urlpatterns = [
    path("questions/<str:public_id>/<str:slug>/", views.question_detail, name="detail"),
]
