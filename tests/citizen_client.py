"""A citizen sending a question through the public form over HTTP, as a browser would: the form's
hidden fields, the honeypot left empty, the minimum fill time, and, as forms.js does on the
cached event page, the CSRF token (and cookie), start time and submission token fetched from
/form-tokens/.

Used by the run-command tests and by CI's smoke test (`python -m tests.citizen_client URL`),
against a portal started by `make run`. Standard library only.
"""

import argparse
import html
import http.cookiejar
import json
import re
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass

FORM_FIELD = re.compile(r'<input[^>]*name="(?P<name>[^"]+)"[^>]*value="(?P<value>[^"]*)"')
EVENT_LINK = re.compile(r'href="(?P<path>/fr/events/[a-z0-9-]+/)"')


@dataclass
class Sent:
    event_url: str
    landed_on: str
    email: str


class Citizen:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, url: str) -> str:
        with self.opener.open(url, timeout=30) as response:
            return response.read().decode()

    def event_with_open_form(self) -> tuple[str, str]:
        """The first event page (from the events list) that shows the question form."""
        listing = self.get(f"{self.base_url}/fr/events/")
        for path in dict.fromkeys(match["path"] for match in EVENT_LINK.finditer(listing)):
            page = self.get(self.base_url + path)
            if 'id="question-form"' in page:
                return self.base_url + path, page
        raise RuntimeError("no event accepts questions")

    def send_question(self, *, email: str, min_fill_seconds: float = 3) -> Sent:
        event_url, page = self.event_with_open_form()
        form = page[page.index('id="question-form"') :]
        form = form[: form.index("</form>")]
        fields = {
            match["name"]: html.unescape(match["value"]) for match in FORM_FIELD.finditer(form)
        }
        first_option = r'<select[^>]*name="{}"[^>]*>.*?<option value="([^"]+)"'
        fields |= {
            name: re.search(first_option.format(name), form, re.S).group(1)
            for name in ("theme", "region")
        }
        fields |= {
            "title": "Quelle place pour les citoyens dans la diplomatie ?",
            "text": "Comment les questions des citoyens sont-elles choisies pour les réponses ?",
            "display_name": "Camille",
            "email": email,
            "consent": "on",
            "website": "",  # the honeypot stays empty
        }
        with self.opener.open(f"{self.base_url}/form-tokens/", timeout=30) as response:
            tokens = json.load(response)
        fields |= {
            "csrfmiddlewaretoken": tokens["csrf"],
            "form_started": tokens["form_started"],
            "submission_token": tokens["submission_token"],
        }
        time.sleep(min_fill_seconds + 1)  # a person takes longer than the minimum fill time
        body = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(event_url, data=body, headers={"Referer": event_url})
        with self.opener.open(request, timeout=60) as response:
            return Sent(event_url=event_url, landed_on=response.url, email=email)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("base_url", help="e.g. http://127.0.0.1:8000")
    parser.add_argument("--email", default="camille@example.org")
    args = parser.parse_args()
    sent = Citizen(args.base_url).send_question(email=args.email)
    print(f"question sent from {sent.event_url}, landed on {sent.landed_on}")
    return 0 if sent.landed_on.endswith("/questions/sent/") else 1


if __name__ == "__main__":
    sys.exit(main())
