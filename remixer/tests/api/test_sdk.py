"""The official `openai` SDK, unchanged, against remixer served on 127.0.0.1 with real workers."""

import re
from html import unescape
from typing import Any

import openai
import pytest
from django.test import Client
from openai import OpenAI
from PIL import Image

from remixer.models import Video
from remixer.tests.api.conftest import POLL_MS

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),  # the SDK marks videos deprecated
]


def assert_variants(sdk: OpenAI, video_id: str) -> None:
    mp4 = sdk.videos.download_content(video_id).content
    webp = sdk.videos.download_content(video_id, variant="thumbnail").content
    jpeg = sdk.videos.download_content(video_id, variant="spritesheet").content
    assert mp4[4:8] == b"ftyp"
    assert webp[:4] == b"RIFF" and webp[8:12] == b"WEBP"
    assert jpeg[:3] == b"\xff\xd8\xff"


def test_create_and_poll_download_remix_and_delete(stores, sdk, worker):
    video = sdk.videos.create_and_poll(
        prompt="calm blue waves", size="1280x720", seconds="4", poll_interval_ms=POLL_MS
    )
    assert (video.status, video.progress, video.size, video.seconds) == (
        "completed",
        100,
        "1280x720",
        "4",
    )
    assert sdk.videos.retrieve(video.id).to_dict() == Video.objects.get(pk=video.id).as_api_object()
    assert_variants(sdk, video.id)

    remix = sdk.videos.remix(video.id, prompt='sepia, mirror, "Day one"')
    assert (remix.status, remix.remixed_from_video_id) == ("queued", video.id)
    remix = sdk.videos.poll(remix.id, poll_interval_ms=POLL_MS)
    assert (remix.status, remix.size, remix.seconds) == ("completed", "1280x720", "4")
    assert_variants(sdk, remix.id)

    deleted = sdk.videos.delete(remix.id)
    assert (deleted.id, deleted.object, deleted.deleted) == (remix.id, "video.deleted", True)
    with pytest.raises(openai.NotFoundError):
        sdk.videos.retrieve(remix.id)


def test_create_with_an_input_reference_file(sdk, worker, tmp_path):
    reference = tmp_path / "first-frame.png"
    Image.new("RGB", (1280, 720), (220, 40, 40)).save(reference)
    video = sdk.videos.create(
        prompt="the red card flutters", input_reference=reference, size="1280x720", seconds="4"
    )
    stored = Video.objects.get(pk=video.id)
    assert stored.reference_image.name.startswith("references/")
    video = sdk.videos.poll(video.id, poll_interval_ms=POLL_MS)
    assert video.status == "completed", video.error
    assert_variants(sdk, video.id)


def test_list_pages_through_the_library_with_the_auto_paging_iterator(sdk):
    made = [sdk.videos.create(prompt=f"waves {i}", seconds="4").id for i in range(5)]
    first = sdk.videos.list(limit=2)
    assert [v.id for v in first.data] == made[:-3:-1] and first.has_more
    assert [v.id for v in sdk.videos.list(limit=2)] == made[::-1]
    assert [len(page.data) for page in first.iter_pages()] == [2, 2, 1]
    assert [v.id for v in sdk.videos.list(limit=2, order="asc")] == made


def test_the_sdk_raises_its_own_errors(sdk, sdk_for, ana, ben, settings):
    with pytest.raises(openai.AuthenticationError):
        sdk_for(ana, key="rmx_wrong").videos.list()
    with pytest.raises(openai.NotFoundError) as missing:
        sdk.videos.retrieve("video_nope")
    assert missing.value.code == "not_found"
    with pytest.raises(openai.BadRequestError) as bad:
        sdk.videos.create(prompt="waves", model="sora-9")
    assert (bad.value.param, bad.value.type) == ("model", "invalid_request_error")
    assert "remixer-local" in bad.value.message

    mine = sdk.videos.create(prompt="waves", seconds="4")
    Video.objects.filter(pk=mine.id).update(status="completed")
    with pytest.raises(openai.PermissionDeniedError):
        sdk_for(ben).videos.delete(mine.id)

    settings.REMIXER_MAX_ACTIVE_JOBS = 1
    sdk.videos.create(prompt="waves", seconds="4")
    with pytest.raises(openai.RateLimitError) as limited:
        sdk.videos.create(prompt="more waves", seconds="4")
    assert int(limited.value.response.headers["retry-after"]) > 0


def test_the_sdk_raises_on_the_content_of_a_video_not_completed(sdk, ana):
    made = sdk.videos.create(prompt="waves", seconds="4")
    with pytest.raises(openai.BadRequestError) as waiting:
        sdk.videos.download_content(made.id)
    assert waiting.value.code == "video_not_ready"
    assert "still queued" in waiting.value.message
    failure = {"error_code": "provider_error", "error_message": "The provider ran out of GPUs."}
    Video.objects.filter(pk=made.id).update(status="failed", **failure)
    with pytest.raises(openai.BadRequestError) as failed:
        sdk.videos.download_content(made.id)
    assert failed.value.body == {
        "message": "This video failed: The provider ran out of GPUs; it has no content.",
        "type": "invalid_request_error",
        "param": None,
        "code": "video_failed",
    }


def test_an_idempotency_key_makes_the_sdks_retry_safe(sdk):
    headers = {"Idempotency-Key": "nightly-2026-11-24"}
    first = sdk.videos.create(prompt="waves", seconds="4", extra_headers=headers)
    again = sdk.videos.create(prompt="waves", seconds="4", extra_headers=headers)
    assert first.id == again.id and Video.objects.count() == 1


def test_the_snippet_on_the_keys_page_runs_as_it_stands(
    live_server, ana, worker, monkeypatch, tmp_path
):
    page = Client()
    page.force_login(ana)
    host = live_server.url.removeprefix("http://")
    html = page.post("/keys", {"name": "snippet"}, headers={"host": host}).content.decode()
    snippet = re.search(r"<pre><code>(from openai import OpenAI.*?)</code></pre>", html, re.DOTALL)
    monkeypatch.chdir(tmp_path)
    scope: dict[str, Any] = {}
    try:
        exec(unescape(snippet[1]), scope)  # the text of our own page, run as a user would
    finally:
        if "client" in scope:
            scope["client"].close()
    video = scope["video"]
    assert video.status == "completed"
    assert (tmp_path / f"{video.id}.mp4").read_bytes()[4:8] == b"ftyp"


def test_edit_uploads_a_file_that_is_imported_then_edited(sdk, worker, clip_path):
    edit = sdk.videos.edit(prompt="black and white, mirror", video=clip_path)
    assert (edit.status, edit.progress, edit.size, edit.seconds) == ("queued", 0, "1280x720", "4")
    imported = Video.objects.get(pk=edit.remixed_from_video_id)
    assert (imported.kind, imported.owner.username) == ("import", "ana")
    edit = sdk.videos.poll(edit.id, poll_interval_ms=POLL_MS)
    assert (edit.status, edit.size, edit.seconds) == ("completed", "1280x720", "4"), edit.error
    imported.refresh_from_db()
    assert (imported.status, Video.objects.get(pk=edit.id).kind) == ("completed", "edit")
    assert sdk.videos.retrieve(imported.id).remixed_from_video_id is None
    assert_variants(sdk, edit.id)


def test_an_edit_of_a_library_video_by_id_through_the_sdks_client(sdk, source):
    # SDK 3.57's edit() refuses {"id": …} before sending; scripts post the JSON body instead.
    body = {"prompt": "sepia", "video": {"id": source.pk}}
    edit = sdk.post("/videos/edits", body=body, cast_to=openai.types.Video)
    assert (edit.status, edit.remixed_from_video_id) == ("queued", source.pk)
    with pytest.raises(openai.BadRequestError) as refused:
        sdk.post("/videos/edits", body={"prompt": "sepia", "video": 5}, cast_to=openai.types.Video)
    assert (refused.value.param, refused.value.status_code) == ("video", 400)


def test_characters_answer_that_remixer_offers_none(sdk, clip_path):
    with pytest.raises(openai.NotFoundError) as made:
        sdk.videos.create_character(name="Ana", video=clip_path)
    with pytest.raises(openai.NotFoundError) as fetched:
        sdk.videos.get_character("char_123")
    for error in (made.value, fetched.value):
        assert error.status_code == 404 and error.code == "characters_not_supported"
        assert "remixer does not offer characters" in error.message


def test_sora_scripts_name_sora_2_pro_and_learn_the_lengths_on_offer(sdk):
    video = sdk.videos.create(prompt="waves", model="sora-2-pro-2025-10-06", seconds="4")
    assert video.model == "remixer-local"
    with pytest.raises(openai.BadRequestError) as refused:
        sdk.videos.create(prompt="waves", seconds="16")  # type: ignore[arg-type]
    assert refused.value.param == "seconds" and "4, 8 or 12" in refused.value.message


def test_an_idempotency_key_reused_for_another_request_is_a_conflict(sdk, clip_path):
    headers = {"Idempotency-Key": "edit-nightly"}
    first = sdk.videos.edit(prompt="sepia", video=clip_path, extra_headers=headers)
    again = sdk.videos.edit(prompt="sepia", video=clip_path, extra_headers=headers)
    assert again.id == first.id
    with pytest.raises(openai.ConflictError) as reused:
        sdk.videos.edit(prompt="mirror", video=clip_path, extra_headers=headers)
    assert reused.value.code == "idempotency_key_reused" and first.id in reused.value.message
    assert Video.objects.count() == 2  # one import, one edit
