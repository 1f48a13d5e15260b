"""Security: HTTPS and cookies, headers, Content-Security-Policy, login and rate limits."""

from csp.constants import NONCE

from .base import DEBUG, REDIS_URL, env
from .storage import DJANGO_STORAGE

# --- Security (production values switch on when DEBUG is off) ------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    # The TLS proxy in front of the app says "https" in X-Forwarded-Proto; nothing else may.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    # /healthz is probed over plain HTTP by the load balancer.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
# Staff sessions end after a working day (citizens have no accounts).
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE_SECONDS", default=12 * 3600)
# Powerful browser features no page uses (fullscreen stays allowed: the video player needs it).
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
# Number of reverse proxies in front of the app whose X-Forwarded-For entries are trusted
# (0: the client is REMOTE_ADDR). See portal.security.client_ip.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# /healthz's deep check (every dependency, with errors) for monitoring: `Authorization: Bearer
# <token>` from anywhere, or any request from loopback. Empty: loopback only.
HEALTHZ_TOKEN = env.str("HEALTHZ_TOKEN", default="")


# Content-Security-Policy (django-csp 4). No inline script or style: JS and CSS are static files,
# inline code needs nonce="{{ request.csp_nonce }}". Published media may live on another origin
# (S3 or a CDN): CSP_MEDIA_ORIGINS, by default the S3 public origin when DJANGO_STORAGE=s3.
# A view that must be framed (the embed page) uses portal.security.allow_framing.
_default_media_origins = []
if DJANGO_STORAGE == "s3":
    _s3_public = env.str("AWS_S3_CUSTOM_DOMAIN", default="") or env.str(
        "S3_ENDPOINT_URL", default=""
    )
    if _s3_public:
        _default_media_origins = [_s3_public if "://" in _s3_public else f"https://{_s3_public}"]
    else:
        _default_media_origins = ["https://*.amazonaws.com"]
CSP_MEDIA_ORIGINS = env.list("CSP_MEDIA_ORIGINS", default=_default_media_origins)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:", *CSP_MEDIA_ORIGINS],
        "font-src": ["'self'", "data:"],
        # hls.js fetches playlists and segments, and plays them from blob: URLs in a worker.
        "media-src": ["'self'", "blob:", *CSP_MEDIA_ORIGINS],
        "connect-src": ["'self'", *CSP_MEDIA_ORIGINS],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "frame-src": ["'none'"],
        "manifest-src": ["'self'"],
    }
}
if not DEBUG:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = True
if env.str("CSP_REPORT_URI", default=""):
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["report-uri"] = [env.str("CSP_REPORT_URI")]
# Where the embed page may be framed (portal.security.allow_framing): any HTTPS site by default.
EMBED_FRAME_ANCESTORS = env.list("EMBED_FRAME_ANCESTORS", default=["'self'", "https:"])

# Admin brute-force protection (django-axes): after AXES_FAILURE_LIMIT failed logins for one
# username from one client IP, that pair is locked out for AXES_COOLOFF_HOURS.
AUTHENTICATION_BACKENDS = [
    "portal.security.LoginAttemptsBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "portal.security.client_ip"
AXES_LOCKOUT_TEMPLATE = "portal/login_locked_out.html"

# Rate limits (django-ratelimit, key="ip") count on the shared cache, per real client IP.
RATELIMIT_IP_META_KEY = "portal.security.client_ip"
# If Redis is down the cache answers "miss" (portal.cache); let citizens through rather than
# refuse everyone, and log it.
RATELIMIT_FAIL_OPEN = True
# ResilientRedisCache subclasses Django's RedisCache (atomic INCR), which django-ratelimit's check
# does not recognise by name.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
if not REDIS_URL:
    # Without Redis the default cache is per process: limits hold per process only (development,
    # tests, a single-process trial). Production sets REDIS_URL.
    SILENCED_SYSTEM_CHECKS += ["django_ratelimit.E003"]

# --- Rate limits (django-ratelimit on the default cache, i.e. Redis in production) -------------
# "<count>/<period>" with period s, m, h or d. Keys: client IP (key="ip") and normalised e-mail.
RATELIMIT_VIEW = "portal.views.ratelimited"
RATELIMIT_QUESTION_PER_IP = env.str("RATELIMIT_QUESTION_PER_IP", default="10/h")
RATELIMIT_RESEND_PER_IP = env.str("RATELIMIT_RESEND_PER_IP", default="10/h")
RATELIMIT_SUPPORT_PER_IP = env.str("RATELIMIT_SUPPORT_PER_IP", default="60/h")
# Supports of one question from one client IP: clearing cookies does not add more than this.
RATELIMIT_SUPPORT_PER_IP_AND_QUESTION = env.str(
    "RATELIMIT_SUPPORT_PER_IP_AND_QUESTION", default="2/d"
)
# Play beacons (start and end of each play) per client IP: generous, a school shares one address.
RATELIMIT_PLAY_PER_IP = env.str("RATELIMIT_PLAY_PER_IP", default="600/h")
