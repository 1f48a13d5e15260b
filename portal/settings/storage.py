"""Static files, media folders and the storage backends (local disk or S3)."""

from pathlib import Path

from .base import BASE_DIR, DEBUG, VAR_DIR, env

# --- Static files and media -------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")))
UPLOAD_TEMP_DIR = Path(env.str("UPLOAD_TEMP_DIR", default=str(VAR_DIR / "uploads")))

DJANGO_STORAGE = env.str("DJANGO_STORAGE", default="local")
# collectstatic writes gzip and Brotli copies that whitenoise serves; production adds hashed names.
_static_backend = (
    "whitenoise.storage.CompressedStaticFilesStorage"
    if DEBUG
    else "whitenoise.storage.CompressedManifestStaticFilesStorage"
)
# In development whitenoise also finds files in their source folders (no collectstatic needed);
# `make run` collects them and turns this off, so it serves the compressed copies as production.
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=DEBUG)
# Media on local disk are served by the portal (portal.media_files, with HTTP Range) in
# development; in production a proxy, the bucket or its CDN serves them.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=DEBUG and DJANGO_STORAGE == "local")
# django-dsfr's integrity hashes are those of its files as shipped; the manifest storage rewrites
# the url()s inside its CSS, so browsers would refuse the stylesheets (same-origin files anyway).
DSFR_USE_INTEGRITY_CHECKSUMS = False


def storages(storage: str) -> dict:
    """The storage backends for DJANGO_STORAGE ("local" or "s3", then read from the AWS_*/S3_*
    variables): published outputs, private uploaded sources, static files."""
    if storage != "s3":
        return {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "private": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
            },
            "staticfiles": {"BACKEND": _static_backend},
        }
    s3_common = {
        "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME", default="hors-les-murs"),
        "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
        "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
        "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
        "region_name": env.str("AWS_S3_REGION_NAME", default="eu-west-3"),
        "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="path"),
        "signature_version": "s3v4",
        "file_overwrite": False,
    }
    return {
        # Published outputs (HLS, MP4, posters, captions): public, cacheable URLs.
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **s3_common,
                "location": "public",
                "default_acl": "public-read",
                "querystring_auth": False,
                "custom_domain": env.str("AWS_S3_CUSTOM_DOMAIN", default="") or None,
            },
        },
        # Uploaded sources: private, reachable only through short-lived signed URLs.
        "private": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **s3_common,
                "location": "private",
                "default_acl": "private",
                "querystring_auth": True,
                "querystring_expire": 3600,
            },
        },
        "staticfiles": {"BACKEND": _static_backend},
    }


STORAGES = storages(DJANGO_STORAGE)
