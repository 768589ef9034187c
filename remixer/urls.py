"""The site's routes: the pages (web/urls.py), `/v1` (api/urls.py) and the admin."""

from django.contrib import admin
from django.urls import include, path, register_converter

from remixer.forms.logins import AdminLoginForm
from remixer.models import VIDEO_ID_PATTERN
from remixer.web.logins import refuse_floods

admin.site.login_form = AdminLoginForm


class VideoIdConverter:
    """remixer's ids (video_ and hex); anything else is no video, found without a query."""

    regex = VIDEO_ID_PATTERN.pattern

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


# Registered before the areas' routes are read: they name it as <video_id:video_id>.
register_converter(VideoIdConverter, "video_id")

urlpatterns = [
    path("", include("remixer.web.urls")),
    path("", include("remixer.api.urls")),
    path("admin/login/", refuse_floods(admin.site.login)),
    path("admin/", admin.site.urls),
]
