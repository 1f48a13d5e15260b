from django.urls import path

from questions import briefing_views, support_views, views

app_name = "questions"

# Public ids never contain "o", so "confirm" and "support" cannot be mistaken for one.
urlpatterns = [
    path("questions/", views.search, name="search"),
    path("questions/sent/", views.check_inbox, name="check_inbox"),
    path("questions/confirm/new-link/", views.resend_confirmation, name="resend"),
    path("questions/confirm/<str:token>/", views.confirm, name="confirm"),
    path("questions/support/<str:public_id>/", support_views.support, name="support"),
    path(
        "questions/support-email/<str:token>/",
        support_views.confirm_support_email,
        name="confirm_support_email",
    ),
    path("questions/<str:public_id>/<str:slug>/", views.question_detail, name="detail"),
    path("staff/briefing/", briefing_views.briefing_page, name="briefing"),
    path("staff/briefing.csv", briefing_views.briefing_csv, name="briefing_csv"),
    path("staff/briefing.pdf", briefing_views.briefing_pdf, name="briefing_pdf"),
]
