from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from portal import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("reach.urls")),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("", include("questions.urls")),
    path("", include("events.urls")),
    path("", include("reach.feed_urls")),
    path("", include("media_pipeline.urls")),
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
