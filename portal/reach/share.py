"""What a shared link shows: Open Graph / Twitter card data and share-link targets.

Built from public fields only (titles, texts, display names, published media), never e-mails.
"""

from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from django.conf import settings
from django.templatetags.static import static
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import override

from core.i18n import current_language
from core.urls import absolute_reverse, absolute_url
from events.models import Event
from portal.reach import media
from portal.reach.answers import answer_of
from questions.models import Question

DESCRIPTION_LENGTH = 200
DEFAULT_IMAGE = "reach/share-default.png"
DEFAULT_IMAGE_SIZE = (1200, 630)
# Open Graph wants territory locales; the portal's languages map to their usual ones.
OG_LOCALES = {
    "fr": "fr_FR",
    "en": "en_GB",
    "de": "de_DE",
    "es": "es_ES",
    "ar": "ar_AR",
    "zh-hans": "zh_CN",
}


@dataclass
class ShareCard:
    title: str
    description: str
    url: str
    og_type: str = "website"
    image: str = ""
    image_alt: str = ""
    image_width: int | None = None
    image_height: int | None = None
    video: str = ""
    video_type: str = ""
    video_width: int | None = None
    video_height: int | None = None
    player: str = ""  # the embed page, for Twitter's player card
    moment_url: str = ""  # og:url when the answer is a moment of a recording (#t=start)
    locale: str = ""
    alternate_locales: list[str] = field(default_factory=list)

    @property
    def twitter_card(self) -> str:
        # A player card needs an https player; otherwise the poster as a large image.
        if self.player.startswith("https://"):
            return "player"
        return "summary_large_image" if self.image else "summary"


def _locales() -> tuple[str, list[str]]:
    current = OG_LOCALES.get(current_language(), "fr_FR")
    return current, [locale for locale in OG_LOCALES.values() if locale != current]


def _default_image(card: ShareCard) -> None:
    card.image = absolute_url(static(DEFAULT_IMAGE))
    card.image_alt = _("Le Quai d’Orsay Hors les Murs")
    card.image_width, card.image_height = DEFAULT_IMAGE_SIZE


def question_card(question: Question) -> ShareCard:
    locale, alternates = _locales()
    card = ShareCard(
        title=question.title,
        description=Truncator(question.text).chars(DESCRIPTION_LENGTH),
        url=absolute_url(question.get_absolute_url()),
        og_type="article",
        locale=locale,
        alternate_locales=alternates,
    )
    answer = answer_of(question)
    if answer is not None:
        video = answer.video  # answered on stage: the event's recording, from its moment
        card.moment_url = answer.at_moment(card.url)
        card.og_type = "video.other"
        if video.poster:
            card.image = media.file_url(video.poster)
            card.image_alt = _("Video answer: %(title)s") % {"title": question.title}
            card.image_width, card.image_height = video.poster_width, video.poster_height
        if video.mp4:
            card.video = answer.media_url(video.mp4)
            card.video_type = media.mime_type(video.mp4, "video/mp4")
            # The source's dimensions: the MP4 may be smaller, the aspect ratio is the same.
            card.video_width, card.video_height = video.width, video.height
        card.player = absolute_reverse(
            "reach:embed",
            kwargs={"public_id": question.public_id},
            query={"lang": current_language()} | ({"t": answer.start} if answer.start else {}),
        )
    if not card.image:
        _event_image(card, question.event)
    return card


def _event_image(card: ShareCard, event: Event) -> None:
    if event.image:
        card.image = media.file_url(event.image)
        card.image_alt = event.image_alt
    else:
        _default_image(card)


def event_card(event: Event, url: str) -> ShareCard:
    locale, alternates = _locales()
    text = event.i18n
    description = text.description or ", ".join(filter(None, [text.venue, event.city]))
    card = ShareCard(
        title=text.title,
        description=Truncator(description).chars(DESCRIPTION_LENGTH),
        url=absolute_url(url),
        locale=locale,
        alternate_locales=alternates,
    )
    _event_image(card, event)
    return card


def language_alternates(path: str) -> list[tuple[str, str]]:
    """(hreflang, absolute URL) of a language-prefixed page in every language, plus x-default.

    Empty for a path that does not resolve or has no language prefix: none beats wrong ones.
    """
    try:
        match = resolve(path)
    except Resolver404:
        return []
    alternates = []
    for code, _name in settings.LANGUAGES:
        with override(code):
            try:
                url = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
            except NoReverseMatch:  # an unnamed view, e.g. the admin's catch-all 404
                return []
            alternates.append((code, absolute_url(url)))
    if len({url for _code, url in alternates}) < len(alternates):
        return []
    default = dict(alternates)[settings.LANGUAGE_CODE]
    # The unprefixed URL redirects each reader to their language: the right x-default.
    alternates.append(("x-default", default.replace(f"/{settings.LANGUAGE_CODE}/", "/", 1)))
    return alternates


@dataclass
class ShareLink:
    network: str  # DSFR button modifier: facebook, twitter-x, linkedin, mail
    label: str
    url: str
    new_window: bool = True


def share_links(url: str, title: str) -> list[ShareLink]:
    """Plain links to each network's share page: no script, no tracker, nothing until clicked."""
    mail_body = f"{title}\n\n{url}"
    return [
        ShareLink(
            "twitter-x",
            _("Share on X"),
            "https://x.com/intent/post?" + urlencode({"url": url, "text": title}),
        ),
        ShareLink(
            "facebook",
            _("Share on Facebook"),
            "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}),
        ),
        ShareLink(
            "linkedin",
            _("Share on LinkedIn"),
            "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url}),
        ),
        ShareLink(
            "mail",
            _("Share by e-mail"),
            f"mailto:?subject={quote(title)}&body={quote(mail_body)}",
            new_window=False,
        ),
    ]
