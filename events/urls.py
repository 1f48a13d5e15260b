"""Event pages. `events:detail` (the event page with its questions and the question form) is
served by the questions app, a higher app; portal/urls.py adds it to this namespace."""

from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("events/", views.event_list, name="list"),
    path("events/calendar.ics", views.calendar_feed, name="calendar"),
    path("events/<slug:slug>.ics", views.event_ics, name="ics"),
]
