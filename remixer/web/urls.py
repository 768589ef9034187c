"""The pages, by area: the library and a video's page, the studio, the Trash, exports and
imports, personal keys, and signing in."""

from django.contrib.auth import views as auth_views
from django.urls import path

from remixer.forms.logins import LoginForm
from remixer.web import exports, imports, keys, remixes, studio, trash, videos
from remixer.web.logins import refuse_floods

VIDEO_ID = "<video_id:video_id>"  # the converter remixer/urls.py registers

urlpatterns = [
    path("", videos.library, name="library"),
    path("remix", videos.remix_picker, name="remix_picker"),
    path("recipe", remixes.recipe_preview, name="recipe_preview"),
    path("videos/new", videos.video_new, name="video_new"),
    path("videos/live", videos.live_cards, name="live_cards"),
    path("videos/import", imports.video_import, name="video_import"),
    path(f"videos/{VIDEO_ID}.json", videos.video_json, name="video_json"),
    path(f"videos/{VIDEO_ID}", videos.video_detail, name="video_detail"),
    path(f"videos/{VIDEO_ID}/status", videos.video_status, name="video_status"),
    path(f"videos/{VIDEO_ID}/content", videos.video_content, name="video_content"),
    path(f"videos/{VIDEO_ID}/preview", videos.video_preview, name="video_preview"),
    path(f"videos/{VIDEO_ID}/remix", remixes.video_remix, name="video_remix"),
    path(f"videos/{VIDEO_ID}/extend", remixes.video_extend, name="video_extend"),
    path(f"videos/{VIDEO_ID}/still", remixes.video_still, name="video_still"),
    path(f"videos/{VIDEO_ID}/retry", videos.video_retry, name="video_retry"),
    path(f"videos/{VIDEO_ID}/cancel", videos.video_cancel, name="video_cancel"),
    path(f"videos/{VIDEO_ID}/title", videos.video_title, name="video_title"),
    path(f"videos/{VIDEO_ID}/delete", trash.video_delete, name="video_delete"),
    path(f"videos/{VIDEO_ID}/restore", trash.video_restore, name="video_restore"),
    path(f"videos/{VIDEO_ID}/erase", trash.video_erase, name="video_erase"),
    path("trash", trash.trash_page, name="trash"),
    path("trash/empty", trash.trash_empty, name="trash_empty"),
    path(f"videos/{VIDEO_ID}/compare", studio.compare, name="video_compare"),
    path(f"videos/{VIDEO_ID}/lineage", studio.lineage, name="video_lineage"),
    path("compare", studio.compare_picked, name="compare_picked"),
    path("live", studio.library_live, name="library_live"),
    path("exports", exports.exports, name="exports"),
    path("exports/<uuid:export_id>", exports.export_detail, name="export_detail"),
    path("exports/<uuid:export_id>/status", exports.export_status, name="export_status"),
    path(
        "exports/<uuid:export_id>/download",
        exports.export_download,
        name="export_download",
    ),
    path("keys", keys.api_keys, name="api_keys"),
    path("keys/<int:key_id>/revoke", keys.api_key_revoke, name="api_key_revoke"),
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
    path("favicon.ico", videos.favicon),
]
