"""The portal as deployed: DEBUG off, gunicorn, whitenoise, security headers, JSON logs, axes."""

import base64
import hashlib
import json
import re
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest

from tests.production import (
    HOST,
    ROOT,
    manage,
    procfile_command,
    production_env,
    running_gunicorn,
)

pytestmark = pytest.mark.slow

ADMIN_PASSWORD = "correct-horse-battery-staple-42"  # noqa: S105 - a test account


def s3_variables() -> dict[str, str]:
    return {
        "DJANGO_STORAGE": "s3",
        "AWS_STORAGE_BUCKET_NAME": "hlm-media",
        "AWS_ACCESS_KEY_ID": "deploy-check",
        "AWS_SECRET_ACCESS_KEY": "deploy-check-secret",
        "AWS_S3_CUSTOM_DOMAIN": "media.hlm.test",
        "REDIS_URL": "redis://127.0.0.1:6379/4",
        "EMAIL_URL": "smtp+tls://user:pass@smtp.hlm.test:587",
    }


def test_check_deploy_reports_nothing_with_the_production_variables(tmp_path):
    result = manage(
        production_env(tmp_path, **s3_variables()), "check", "--deploy", "--fail-level", "WARNING"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_catches_a_weakened_setting(tmp_path):
    env = production_env(tmp_path, DJANGO_HSTS_SECONDS="0", **s3_variables())
    result = manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = production_env(tmp_path)
    del env["DJANGO_SECRET_KEY"]
    result = manage(env, "check")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_a_mail_server(tmp_path):
    env = production_env(tmp_path)
    del env["EMAIL_URL"]  # e-mails would go to the log, addresses and confirmation links with them
    result = manage(env, "check")
    assert result.returncode != 0
    assert "EMAIL_URL" in result.stderr


def test_check_deploy_fails_when_e_mails_would_only_be_printed(tmp_path):
    env = production_env(tmp_path, **(s3_variables() | {"EMAIL_URL": "consolemail://"}))
    result = manage(env, "check", "--deploy")
    assert result.returncode != 0
    assert "portal.E001" in result.stderr + result.stdout
    assert "EMAIL_URL" in result.stderr + result.stdout


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A gunicorn worker with production settings, behind one trusted proxy."""
    var_dir = tmp_path_factory.mktemp("production")
    env = production_env(var_dir, TRUSTED_PROXY_COUNT="1", AXES_FAILURE_LIMIT="3")
    # The build step (README), the Procfile's release process, then an administrator.
    build = manage(env, "collectstatic", "--noinput", "-v", "0", timeout=300)
    assert build.returncode == 0, build.stderr
    release = subprocess.run(
        ["bash", "-c", procfile_command("release")],
        cwd=ROOT,
        env=env | {"PATH": f"{Path(sys.executable).parent}:{env['PATH']}"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert release.returncode == 0, release.stderr
    admin = manage(
        env | {"DJANGO_SUPERUSER_PASSWORD": ADMIN_PASSWORD},
        *["createsuperuser", "--noinput", "--username", "chef", "--email", "chef@hlm.test"],
    )
    assert admin.returncode == 0, admin.stderr
    with running_gunicorn(env, var_dir / "web.log") as running:
        yield running


def test_plain_http_is_redirected_to_https_except_the_health_check(site):
    response = site.request("GET", "/fr/", https=False)
    assert response.status == 301
    assert response.headers["Location"] == f"https://{HOST}/fr/"
    assert site.request("GET", "/healthz", https=False).status in (200, 503)


def test_a_public_page_sends_the_security_headers(site):
    response = site.request("GET", "/fr/")
    assert response.status == 200
    headers = response.headers
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in headers["Permissions-Policy"]
    policy = dict(
        (directive.split(" ", 1) + [""])[:2]
        for directive in headers["Content-Security-Policy"].split("; ")
    )
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    # Scripts are same-origin files; inline code would need the nonce of this response.
    script_tags = re.findall(r"<script[^>]*>", response.text)
    assert script_tags
    for tag in script_tags:
        source = re.search(r'src="([^"]+)"', tag)
        assert source and source.group(1).startswith("/static/"), tag


def test_static_files_have_hashed_names_and_are_served_compressed(site):
    page = site.request("GET", "/fr/").text
    stylesheet = re.search(r'href="(/static/css/portal\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet, "the stylesheet URL carries a content hash"
    response = site.request("GET", stylesheet.group(1), headers={"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "immutable" in response.headers["Cache-Control"]


def test_every_stylesheet_and_script_of_a_page_loads_as_linked(site):
    """Collected files are rewritten (hashed url()s inside CSS): an `integrity` attribute computed
    on the original file would make browsers refuse the DSFR styles, leaving pages unstyled."""
    page = site.request("GET", "/fr/").text
    tags = re.findall(r"<(?:link[^>]*rel=\"stylesheet\"|script)[^>]*>", page)
    linked = [re.search(r'(?:href|src)="([^"]+)"', tag) for tag in tags]
    assert len([match for match in linked if match and "dsfr" in match.group(1)]) >= 3
    for tag, match in zip(tags, linked, strict=True):
        assert match, tag
        response = site.request("GET", match.group(1))
        assert response.status == 200, tag
        if integrity := re.search(r'integrity="sha384-([^"]+)"', tag):
            served = hashlib.sha384(response.text.encode()).digest()
            assert base64.b64encode(served).decode() == integrity.group(1), tag


def admin_login(site, *, password: str, client_ip: str):
    """Post the admin login form as a browser behind the proxy at `client_ip` would."""
    proxy_headers = {"X-Forwarded-For": f"198.51.100.66, {client_ip}"}  # left-most is forged
    form = site.request("GET", "/admin/login/", headers=proxy_headers)
    csrf_cookie = form.headers["Set-Cookie"].split(";", 1)[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": "chef", "password": password, "next": "/admin/"}
    )
    return form, site.request(
        "POST",
        "/admin/login/?next=/admin/",
        body=body,
        headers=proxy_headers
        | {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": csrf_cookie,
            "Origin": f"https://{HOST}",
            "Referer": f"https://{HOST}/admin/login/",
        },
    )


def cookie_flags(set_cookie_headers: list[str], name: str) -> set[str]:
    for header in set_cookie_headers:
        if header.startswith(f"{name}="):
            return {part.strip().split("=")[0].lower() for part in header.split(";")[1:]}
    raise AssertionError(f"no {name} cookie in {set_cookie_headers}")


def test_cookies_are_secure_and_http_only(site):
    form, response = admin_login(site, password=ADMIN_PASSWORD, client_ip="203.0.113.10")
    assert response.status == 302 and response.headers["Location"] == "/admin/"
    csrf = cookie_flags(form.headers.get_all("Set-Cookie"), "csrftoken")
    session = cookie_flags(response.headers.get_all("Set-Cookie"), "sessionid")
    assert {"secure", "httponly", "samesite"} <= csrf
    assert {"secure", "httponly", "samesite"} <= session
    session_cookie = next(c for c in response.headers.get_all("Set-Cookie") if "sessionid" in c)
    assert "Max-Age=43200" in session_cookie  # a staff session lasts a working day


def test_admin_login_is_locked_after_repeated_failures_from_one_client(site):
    attacker, colleague = "203.0.113.66", "203.0.113.77"
    for _ in range(2):
        _, response = admin_login(site, password="guess", client_ip=attacker)
        assert response.status == 200  # the login form again, with an error
    _, third = admin_login(site, password="guess", client_ip=attacker)
    assert third.status == 429  # AXES_FAILURE_LIMIT=3 for this site
    # Now even the right password is refused from there.
    _, locked = admin_login(site, password=ADMIN_PASSWORD, client_ip=attacker)
    assert locked.status == 429
    assert "Too many failed sign-in attempts" in locked.text or "Trop de" in locked.text
    # The lockout is for that client, found behind the proxy, not for everyone.
    _, elsewhere = admin_login(site, password=ADMIN_PASSWORD, client_ip=colleague)
    assert elsewhere.status == 302


def test_each_request_is_logged_as_json_with_its_request_id(site):
    response = site.request("GET", "/fr/", headers={"X-Request-ID": "trace-me-0123456789"})
    assert response.headers["X-Request-ID"] == "trace-me-0123456789"
    forged = site.request("GET", "/fr/", headers={"X-Request-ID": "<script>alert(1)</script>"})
    assert re.fullmatch(r"[0-9a-f]{32}", forged.headers["X-Request-ID"])
    entries = [json.loads(line) for line in site.log_lines() if line.startswith("{")]
    access = [e for e in entries if e["logger"] == "portal.requests"]
    assert {
        "request_id": "trace-me-0123456789",
        "method": "GET",
        "path": "/fr/",
        "status": 200,
    }.items() <= next(e for e in access if e["request_id"] == "trace-me-0123456789").items()


def test_gunicorn_logs_json_too(site):
    boot = [line for line in site.log_lines() if "Booting worker" in line]
    assert boot and json.loads(boot[0])["logger"] == "gunicorn.error"
