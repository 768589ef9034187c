import hashlib
from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from remixer.actions.trash import UNDO_TAG
from remixer.lib.words import size_label
from remixer.models import Video

register = template.Library()


@register.filter
def undo_target(message: Any) -> str:
    """The video a message's Undo button restores, or nothing."""
    tag = next((t for t in message.extra_tags.split() if t.startswith(UNDO_TAG)), "")
    return tag.removeprefix(UNDO_TAG)


@register.simple_tag
def status_badge(video: Video) -> SafeString:
    """The status in colour and words; a tag, not an include, as it sits in the polled fragment."""
    state = shown_state(video)
    words = "Cancelled" if state == "cancelled" else video.get_status_display()
    if video.status == Video.Status.IN_PROGRESS:
        words = f"{words} {video.progress}%"
    return format_html('<span class="badge badge-{}">{}</span>', state, words)


def shown_state(video: Video) -> str:
    """The status, except that a job its owner cancelled did not fail: it was cancelled."""
    if video.status == Video.Status.FAILED and video.error_code == "cancelled":
        return "cancelled"
    return str(video.status)


@register.simple_tag
def job_data(video: Video) -> SafeString:
    """What static/pages.js reads to follow the owner's jobs in the tab's title and icon, and
    once a job has finished, the name its notification gives it (the polled fragment of a
    running job loads neither title nor prompt)."""
    data = format_html(
        ' data-job="{}" data-owner="{}" data-state="{}" data-progress="{}" data-href="{}"',
        video.id,
        video.owner_id,
        shown_state(video),
        video.progress,
        video.get_absolute_url(),
    )
    if not video.is_finished:
        return data
    return format_html('{} data-name="{}"', data, notified_name(video))


def notified_name(video: Video) -> str:
    """The video as a notification names it: its title, else its prompt, in 100 characters."""
    name = video.title or " ".join((video.prompt or "").split()) or video.display_name
    return Truncator(name).chars(100)


@register.filter
def fingerprint(videos: Iterable[Video]) -> str:
    """What a live card shows of these videos, in a few characters: the library's poll
    answers nothing (204) while the fingerprint it was sent still holds."""
    shown = "|".join(
        f"{v.id}:{v.status}:{v.progress}:{v.phase}:{bool(v.retry_reason)}" for v in videos
    )
    return hashlib.sha256(shown.encode()).hexdigest()[:16]


@register.filter
def unfinished(videos: Iterable[Video]) -> list[Video]:
    return [video for video in videos if not video.is_finished]


@register.filter
def variation_label(video: Video) -> str:
    """For one of a batch, "variation 2 of 3", and how a local remix's differs ("variation
    1 of 3 · gentler"); empty for a video asked for alone."""
    asked = (video.submission or {}) if video.batch else {}
    count, spread = asked.get("variations"), asked.get("spread")
    if not isinstance(count, int):
        return ""
    label = f"variation {video.variation + 1} of {count}"
    return f"{label} · {spread}" if isinstance(spread, str) and spread else label


register.filter("size_label", size_label)
