"""The tour day's routes. `urlpatterns` go under the language prefix; `unprefixed` (the JSON
state the clients poll, the QR code's short link) do not."""

from django.urls import path

from questions.live import console, views

app_name = "live"

urlpatterns = [
    path("events/<slug:slug>/screen/", views.screen, name="screen"),
    path("staff/live/", console.console_index, name="index"),
    path("staff/live/<slug:slug>/", console.console, name="console"),
]

unprefixed = [
    path("live/<int:event_id>/state.json", views.state, name="state"),
    path("q/<int:event_id>", views.short_link, name="short"),
]
