"""The big screen's QR code: an inline SVG (segno) of the event's short link."""

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(url: str) -> SafeString:
    """Black on white with a quiet zone, sized by CSS (no width/height): readable from the back
    of a hall when it fills a third of a projector's height."""
    code = segno.make(url, error="m", micro=False)
    svg = code.svg_inline(scale=1, border=4, dark="#000", light="#fff", omitsize=True)
    return mark_safe(svg)  # noqa: S308 — segno's own markup; the URL is encoded as modules
