from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path, re_path, register_converter

from remixer import (
    api,
    api_edits,
    api_extensions,
    export_views,
    import_views,
    key_views,
    studio,
    trash_views,
    views,
)
from remixer.logins import AdminLoginForm, LoginForm, refuse_floods
from remixer.models import VIDEO_ID_PATTERN

admin.site.login_form = AdminLoginForm


class VideoIdConverter:
    """remixer's ids (video_ and hex); anything else is no video, found without a query."""

    regex = VIDEO_ID_PATTERN.pattern

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(VideoIdConverter, "video_id")
VIDEO_ID = "<video_id:video_id>"

urlpatterns = [
    path("", views.library, name="library"),
    path("remix", views.remix_picker, name="remix_picker"),
    path("recipe", views.recipe_preview, name="recipe_preview"),
    path("videos/new", views.video_new, name="video_new"),
    path("videos/live", views.live_cards, name="live_cards"),
    path("videos/import", import_views.video_import, name="video_import"),
    path(f"videos/{VIDEO_ID}.json", views.video_json, name="video_json"),
    path(f"videos/{VIDEO_ID}", views.video_detail, name="video_detail"),
    path(f"videos/{VIDEO_ID}/status", views.video_status, name="video_status"),
    path(f"videos/{VIDEO_ID}/content", views.video_content, name="video_content"),
    path(f"videos/{VIDEO_ID}/preview", views.video_preview, name="video_preview"),
    path(f"videos/{VIDEO_ID}/remix", views.video_remix, name="video_remix"),
    path(f"videos/{VIDEO_ID}/extend", views.video_extend, name="video_extend"),
    path(f"videos/{VIDEO_ID}/still", views.video_still, name="video_still"),
    path(f"videos/{VIDEO_ID}/retry", views.video_retry, name="video_retry"),
    path(f"videos/{VIDEO_ID}/cancel", views.video_cancel, name="video_cancel"),
    path(f"videos/{VIDEO_ID}/title", views.video_title, name="video_title"),
    path(f"videos/{VIDEO_ID}/delete", trash_views.video_delete, name="video_delete"),
    path(f"videos/{VIDEO_ID}/restore", trash_views.video_restore, name="video_restore"),
    path(f"videos/{VIDEO_ID}/erase", trash_views.video_erase, name="video_erase"),
    path("trash", trash_views.trash_page, name="trash"),
    path("trash/empty", trash_views.trash_empty, name="trash_empty"),
    path(f"videos/{VIDEO_ID}/compare", studio.compare, name="video_compare"),
    path(f"videos/{VIDEO_ID}/lineage", studio.lineage, name="video_lineage"),
    path("compare", studio.compare_picked, name="compare_picked"),
    path("live", studio.library_live, name="library_live"),
    path("exports", export_views.exports, name="exports"),
    path("exports/<uuid:export_id>", export_views.export_detail, name="export_detail"),
    path("exports/<uuid:export_id>/status", export_views.export_status, name="export_status"),
    path(
        "exports/<uuid:export_id>/download",
        export_views.export_download,
        name="export_download",
    ),
    path("keys", key_views.api_keys, name="api_keys"),
    path("keys/<int:key_id>/revoke", key_views.api_key_revoke, name="api_key_revoke"),
    path("v1/videos", api.videos, name="api_videos"),
    path("v1/videos/edits", api_edits.edits, name="api_edits"),
    path("v1/videos/extensions", api_extensions.extensions, name="api_extensions"),
    path("v1/videos/characters", api_edits.characters),
    path("v1/videos/characters/<str:character_id>", api_edits.characters),
    path(f"v1/videos/{VIDEO_ID}", api.video, name="api_video"),
    path(f"v1/videos/{VIDEO_ID}/remix", api.remix, name="api_remix"),
    path(f"v1/videos/{VIDEO_ID}/content", api.content, name="api_content"),
    re_path(r"^v1(?:/.*)?$", api.unknown_route),
    path(
        "login",
        refuse_floods(
            auth_views.LoginView.as_view(
                authentication_form=LoginForm, redirect_authenticated_user=True
            )
        ),
        name="login",
    ),
    path("logout", auth_views.LogoutView.as_view(), name="logout"),
    path("favicon.ico", views.favicon),
    path("admin/login/", refuse_floods(admin.site.login)),
    path("admin/", admin.site.urls),
]
