from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from core import admin_privacy
from events import urls as event_urls
from media_pipeline import chapter_views
from portal import views
from portal.language_aliases import language_alias_pattern
from portal.opendata import views as opendata_views
from portal.statistics import urls as statistics_urls
from questions import views as question_views
from questions.live import urls as live_urls

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("form-tokens/", views.form_tokens, name="form_tokens"),
    # Before the admin's own shortcut: only public objects are "viewed on site".
    path(
        "admin/r/<path:content_type_id>/<path:object_id>/",
        admin.site.admin_view(admin_privacy.view_on_site),
    ),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("portal.reach.urls")),
    path("", include("portal.opendata.urls")),
    path("", include((statistics_urls.beacon_urlpatterns, "reach_beacon"))),
]

# The tour day: language-neutral routes (`room`: the polled live state, the QR code's short
# link); the big screen and the live console are under the language prefix (`live`).
urlpatterns.append(path("", include((live_urls.unprefixed, "room"))))

# The event page shows the event's questions and the question form, so the questions app (the
# higher one) serves it; it keeps its name in the `events` namespace.
event_patterns = [
    *event_urls.urlpatterns,
    path("events/<slug:slug>/", question_views.event_detail, name="detail"),
    path("events/<slug:slug>/chapters.vtt", chapter_views.chapters_track, name="chapters"),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
    path("legal-notice/", views.legal_notice, name="legal_notice"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("open-data/", opendata_views.open_data, name="open_data"),
    path("", include((event_patterns, "events"))),
    path("", include("questions.urls")),
    path("", include("questions.live.urls")),
    path("", include("portal.reach.feed_urls")),
    path("", include("media_pipeline.urls")),
    path("", include("portal.statistics.urls")),
)

# Last: only what nothing else matched. /zh/… and /zh-CN/… go to /zh-hans/…, /en-US/… to /en/….
urlpatterns.append(language_alias_pattern())
