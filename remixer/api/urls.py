"""`/v1`: the Videos API as OpenAI answered it, for scripts written for Sora."""

from django.urls import path, re_path

from remixer.api import edits, extensions, videos

VIDEO_ID = "<video_id:video_id>"  # the converter remixer/urls.py registers

urlpatterns = [
    path("v1/videos", videos.videos, name="api_videos"),
    path("v1/videos/edits", edits.edits, name="api_edits"),
    path("v1/videos/extensions", extensions.extensions, name="api_extensions"),
    path("v1/videos/characters", edits.characters),
    path("v1/videos/characters/<str:character_id>", edits.characters),
    path(f"v1/videos/{VIDEO_ID}", videos.video, name="api_video"),
    path(f"v1/videos/{VIDEO_ID}/remix", videos.remix, name="api_remix"),
    path(f"v1/videos/{VIDEO_ID}/content", videos.content, name="api_content"),
    re_path(r"^v1(?:/.*)?$", videos.unknown_route),
]
