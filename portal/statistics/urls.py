from django.urls import path

from portal.statistics import views

app_name = "statistics"

# Under the language prefix: staff pages.
urlpatterns = [
    path("staff/statistics/", views.overview, name="overview"),
    path("staff/statistics/<slug:key>.svg", views.chart, name="chart"),
    path("staff/statistics/<slug:key>.csv", views.figure_csv, name="csv"),
]

# Unprefixed: the player's beacon.
beacon_urlpatterns = [path("reach/plays/", views.play_beacon, name="play_beacon")]
