"""The moderation admin's question list with 100,000 questions in the database."""

import requests

from benchmarks.load import percentile, sequential_ms
from benchmarks.report import Section
from benchmarks.seed import ADMIN_QUESTIONS, BenchData
from questions.admin import StateFilter

ALL_STATES = StateFilter.ALL

P50_TARGET_MS = 300.0
COUNT = 40
WARMUP = 5


def logged_in_session(base: str, data: BenchData) -> requests.Session:
    session = requests.Session()
    login_url = f"{base}/admin/login/"
    session.get(login_url, timeout=30).raise_for_status()
    response = session.post(
        login_url,
        data={
            "username": data.admin_username,
            "password": data.admin_password,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
            "next": "/admin/",
        },
        headers={"Referer": login_url},
        timeout=30,
    )
    response.raise_for_status()
    if "sessionid" not in session.cookies:
        raise RuntimeError("admin login failed: no session cookie")
    return session


def run(base: str, data: BenchData) -> Section:
    section = Section(
        title=f"Admin question list ({ADMIN_QUESTIONS:,} questions)",
        method=(
            f"A superuser's session, {COUNT} requests one after the other after {WARMUP} warm-up "
            "requests, wall-clock time per request (server and client on 127.0.0.1)."
        ),
        headers=["view", "p50 ms", "p99 ms", "max ms"],
    )
    session = logged_in_session(base, data)
    views = [
        ("changelist, all states", f"/admin/questions/question/?state={ALL_STATES}"),
        ("moderation queue (opens on “submitted”)", "/admin/questions/question/"),
        (
            "search “climat”, all states",
            f"/admin/questions/question/?state={ALL_STATES}&q=climat",
        ),
    ]
    for name, path in views:
        response = session.get(base + path, timeout=60)
        if response.status_code != 200 or "?e=1" in response.url:
            section.notes.append(f"Not measured: {name}: {path} answered {response.status_code}.")
            continue
        timings = sequential_ms(session, base + path, count=COUNT, warmup=WARMUP)
        p50 = percentile(timings, 50)
        section.rows.append(
            [
                f"{name} `{path}`",
                f"{p50:.0f}",
                f"{percentile(timings, 99):.0f}",
                f"{max(timings):.0f}",
            ]
        )
        if name.startswith("changelist"):
            section.check(f"changelist p50 ≤ {P50_TARGET_MS:.0f} ms", p50 <= P50_TARGET_MS)
    return section
