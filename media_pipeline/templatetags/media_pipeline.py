from django import template

from media_pipeline import chapters

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


@register.filter
def clock_tenths(seconds: float | None) -> str:
    """1:05.3 for 65.3 seconds, 1:02:03.0 past an hour: a chapter's time, typed back as it is."""
    if seconds is None:
        return ""
    tenths = round(seconds * 10)
    hours, rest = divmod(tenths, 36000)
    minutes, rest = divmod(rest, 600)
    secs, tenth = divmod(rest, 10)
    text = f"{minutes:02d}:{secs:02d}.{tenth}" if hours else f"{minutes}:{secs:02d}.{tenth}"
    return f"{hours}:{text}" if hours else text


@register.filter
def t_param(seconds: float | None) -> str:
    """A start time for a `#t=` / `?t=` link or the player's data-start (dot decimal)."""
    return chapters.start_param(seconds or 0)
