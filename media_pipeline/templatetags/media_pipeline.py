from django import template

register = template.Library()


@register.filter
def clock(seconds: float | None) -> str:
    """1:05 for 65 seconds, 1:02:03 past an hour."""
    if seconds is None:
        return ""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
