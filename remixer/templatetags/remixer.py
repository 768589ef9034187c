from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from remixer.models import Video, size_label

register = template.Library()


@register.simple_tag
def status_badge(video: Video) -> SafeString:
    """The status in colour and words; a tag, not an include, as it sits in the polled fragment."""
    if video.status == Video.Status.FAILED and video.error_code == "cancelled":
        return format_html('<span class="badge badge-cancelled">Cancelled</span>')
    words = video.get_status_display()
    if video.status == Video.Status.IN_PROGRESS:
        words = f"{words} {video.progress}%"
    return format_html('<span class="badge badge-{}">{}</span>', video.status, words)


register.filter("size_label", size_label)
