from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("events/calendar.ics", views.calendar_feed, name="calendar"),
    path("events/<slug:slug>.ics", views.event_ics, name="ics"),
]
