"""remixer's /v1 edits, characters and routes over raw HTTP; Sora scripts' names and limits."""

import io
import json
import zipfile
from datetime import timedelta

import av
import pytest
from django.test.client import encode_multipart
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from remixer import tasks
from remixer.actions import videos
from remixer.files import storage
from remixer.models import LOCAL_MODEL, CatalogEntry, Provider, Video
from remixer.tests.conftest import finished_video, job
from remixer.tests.support.api_calls import JSON, assert_error, auth, create, post_json
from remixer.tests.support.library import files_under
from remixer.tests.support.uploads import png_bytes
from remixer.worker.scratch import upload_name

pytestmark = pytest.mark.django_db
EDITS = "/v1/videos/edits"


def upload(data: bytes, name: str = "source.mp4") -> io.BytesIO:
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def post_multipart(client, path, fields, key, boundary="edit-boundary-1", **headers):
    """A multipart body with a boundary of the caller's choosing, as clients' retries vary."""
    body = encode_multipart(boundary, fields)
    content_type = f"multipart/form-data; boundary={boundary}"
    return client.post(path, body, content_type=content_type, headers=auth(key, **headers))


def upload_edit(client, key, data: bytes, prompt="sepia", **kwargs):
    return post_multipart(client, EDITS, {"prompt": prompt, "video": upload(data)}, key, **kwargs)


def nothing_made(media_root) -> bool:
    return (
        not Video.objects.exists()
        and not DBTaskResult.objects.exists()
        and not (files_under(media_root))
    )


# Edits of a library video ---------------------------------------------------------------------


def test_an_edit_by_json_id_is_a_remix_by_another_name(client, key, source):
    response = post_json(client, EDITS, {"video": {"id": source.pk}, "prompt": "sepia"}, key)
    assert response.status_code == 200, response.content
    answer = response.json()
    assert (answer["status"], answer["remixed_from_video_id"]) == ("queued", source.pk)
    assert (answer["size"], answer["seconds"], answer["model"]) == ("1280x720", "4", LOCAL_MODEL)
    edit = Video.objects.get(pk=answer["id"])
    assert (edit.kind, edit.remixed_from, edit.prompt) == ("edit", source, "sepia")
    assert edit.recipe is not None  # the local engine reads the prompt as for a remix


def test_an_edit_by_multipart_video_id_works_too(client, key, source):
    response = post_multipart(client, EDITS, {"video[id]": source.pk, "prompt": "mirror"}, key)
    assert response.status_code == 200, response.content
    assert Video.objects.get(pk=response.json()["id"]).kind == "edit"


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"prompt": "sepia"}, "video is required."),
        ({"prompt": "sepia", "video": "video_abc"}, "neither a video's id nor a file"),
        ({"prompt": "sepia", "video": {"url": "https://x/y.mp4"}}, "neither a video's id"),
        ({"prompt": "sepia", "video": {"id": 5}}, "neither a video's id nor a file"),
        ({"prompt": "sepia", "video": {"id": ""}}, "neither a video's id nor a file"),
        ({"prompt": "sepia", "video": ["video_abc"]}, "neither a video's id nor a file"),
    ],
)
def test_a_video_field_that_is_neither_an_id_nor_a_file_is_a_400(client, key, body, says):
    error = assert_error(post_json(client, EDITS, body, key), 400, "video", says)
    assert '{"id": ' in error["message"] and "video[id]" in error["message"]
    assert not Video.objects.exists()


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    video=JSON | st.fixed_dictionaries({"id": JSON | st.just("SOURCE")}),
    prompt=JSON | st.sampled_from(["sepia", "mirror, 2x faster"]),
)
def test_any_edit_body_gets_an_edit_or_an_error_never_a_500(client, key, source, video, prompt):
    if isinstance(video, dict) and video.get("id") == "SOURCE":
        video["id"] = source.pk
    before = Video.objects.count()
    response = post_json(client, EDITS, {"video": video, "prompt": prompt}, key)
    assert response.status_code in (200, 400, 404), response.content
    assert (Video.objects.count() > before) == (response.status_code == 200)


def test_a_multipart_video_given_as_text_or_twice_is_a_400(client, key, source, clip_path):
    text = post_multipart(client, EDITS, {"video": "video_abc", "prompt": "sepia"}, key)
    assert_error(text, 400, "video", "neither a video's id nor a file")
    twice = {"video[id]": source.pk, "video": upload(clip_path.read_bytes()), "prompt": "x"}
    assert_error(post_multipart(client, EDITS, twice, key), 400, "video", "not twice")
    assert Video.objects.count() == 1


def test_an_edit_of_a_video_not_completed_is_refused(client, ana, key):
    running = job(ana, status=Video.Status.IN_PROGRESS)
    response = post_json(client, EDITS, {"video": {"id": running.pk}, "prompt": "sepia"}, key)
    assert_error(response, 400, None, "Only a completed video can be edited.")
    missing = post_json(client, EDITS, {"video": {"id": "video_nope"}, "prompt": "sepia"}, key)
    assert_error(missing, 404, None, "No video found with id 'video_nope'")
    assert Video.objects.count() == 1


def test_an_edit_prompt_the_local_engine_cannot_follow_is_refused(client, key, source):
    response = post_json(client, EDITS, {"video": {"id": source.pk}, "prompt": ""}, key)
    assert_error(response, 400, "prompt", "Write a prompt.")
    assert Video.objects.count() == 1


# Edits of an uploaded file --------------------------------------------------------------------


def test_an_uploaded_file_is_imported_then_edited(stores, client, key, clip_path):
    response = upload_edit(client, key, clip_path.read_bytes(), prompt="black and white")
    assert response.status_code == 200, response.content
    edit = Video.objects.get(pk=response.json()["id"])
    imported = edit.remixed_from
    assert (edit.kind, edit.status, imported.kind) == ("edit", "queued", "import")
    assert response.json()["remixed_from_video_id"] == imported.pk
    # The size and length are the file's at once, read from its header, not once it is checked.
    assert (response.json()["size"], response.json()["seconds"]) == ("1280x720", "4")
    fetched = client.get(f"/v1/videos/{edit.pk}", headers=auth(key)).json()
    assert (fetched["size"], fetched["seconds"]) == ("1280x720", "4")
    assert (imported.size, imported.seconds) == ("1280x720", "4")
    assert imported.then == {"kind": "edit", "video": edit.pk}
    # The edit waits for the import: only the import's check is queued.
    assert [t.args_kwargs["args"] for t in DBTaskResult.objects.all()] == [[imported.pk]]

    tasks.import_video.call(imported.pk)
    imported.refresh_from_db()
    edit.refresh_from_db()
    assert (imported.status, imported.then, edit.size, edit.seconds) == (
        "completed",
        None,
        "1280x720",
        "4",
    )
    assert not storage.exists(upload_name(imported.pk))
    tasks.render_video.call(edit.pk)
    edit.refresh_from_db()
    assert edit.status == "completed", edit.error
    with av.open(storage.working_copy(str(edit.video_file), clip_path.parent)) as video:
        frame = next(video.decode(video=0)).to_ndarray(format="rgb24")
    assert abs(int(frame[..., 0].mean()) - int(frame[..., 2].mean())) < 3  # black and white


def test_an_uploaded_file_that_is_not_a_video_is_a_400_and_nothing_is_kept(client, key, media_root):
    response = upload_edit(client, key, png_bytes(64, 36))
    assert_error(response, 400, "video", "The file is not an MP4 video.")
    assert nothing_made(media_root)


def test_an_uploaded_zip_is_no_video_to_edit_even_a_remixer_export(client, key, media_root):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as written:
        written.writestr("manifest.json", "{}")
    response = upload_edit(client, key, archive.getvalue())
    assert_error(response, 400, "video", "The file is not an MP4 video.")
    assert "export" not in response.json()["error"]["message"]
    assert nothing_made(media_root)


def test_an_upload_whose_header_cannot_be_read_is_a_400_and_nothing_is_kept(
    client, key, media_root
):
    broken = b"\x00\x00\x00\x18ftypmp42" + b"not really a movie" * 100
    error = assert_error(upload_edit(client, key, broken), 400, "video", "could not be opened")
    assert error["code"] == "invalid_video"
    assert nothing_made(media_root)


def test_an_upload_larger_than_an_import_may_be_is_a_400_from_its_header(
    client, key, clip_path, settings, media_root
):
    settings.REMIXER_MAX_IMPORT_PIXELS = 640 * 360
    response = upload_edit(client, key, clip_path.read_bytes())
    assert assert_error(response, 400, "video", "1280x720")["code"] == "invalid_video"
    assert nothing_made(media_root)


def test_an_upload_that_fails_its_check_fails_the_edit_in_words(client, key, clip_path, media_root):
    whole = clip_path.read_bytes()
    cut = whole[: len(whole) // 2]  # its header whole (faststart), half its frames
    response = upload_edit(client, key, cut)
    assert response.status_code == 200, response.content
    assert (response.json()["size"], response.json()["seconds"]) == ("1280x720", "4")
    edit = Video.objects.get(pk=response.json()["id"])
    tasks.import_video.call(edit.remixed_from_video_id)
    edit.refresh_from_db()
    assert (edit.status, edit.remixed_from.status) == ("failed", "failed")
    assert edit.error_message.startswith("The uploaded video could not be used: ")
    assert edit.error_code == edit.remixed_from.error_code
    assert files_under(media_root) == []  # the upload is gone, nothing was archived


def test_a_prompt_refused_for_an_upload_keeps_nothing(client, key, clip_path, media_root):
    response = upload_edit(client, key, clip_path.read_bytes(), prompt="")
    assert_error(response, 400, "prompt", "Write a prompt.")
    assert nothing_made(media_root)


def test_the_sweep_leaves_an_edit_waiting_for_its_import_and_a_cancel_fails_it(
    client, ana, key, clip_path
):
    edit_id = upload_edit(client, key, clip_path.read_bytes()).json()["id"]
    edit = Video.objects.get(pk=edit_id)
    long_ago = timezone.now() - timedelta(hours=1)
    Video.objects.update(updated_at=long_ago)
    DBTaskResult.objects.all().delete()  # as if the import's worker had died
    tasks.sweep()
    assert [t.args_kwargs["args"] for t in DBTaskResult.objects.all()] == [
        [edit.remixed_from_video_id]
    ]
    assert videos.cancel_video(user=ana, video=edit.remixed_from)
    tasks.sweep()
    edit.refresh_from_db()
    assert (edit.status, edit.error_code) == ("failed", "cancelled")
    assert "Cancelled by ana." in edit.error_message


def test_an_upload_over_the_import_limit_is_refused(
    client, key, long_clip_path, settings, media_root
):
    settings.REMIXER_MAX_IMPORT_BYTES = 1024**2
    response = upload_edit(client, key, long_clip_path.read_bytes())
    assert_error(response, 413, None, "multipart bodies here up to 2 MB")
    assert nothing_made(media_root)


def test_an_upload_larger_than_the_json_cap_is_accepted(client, key, long_clip_path, settings):
    assert long_clip_path.stat().st_size > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = upload_edit(client, key, long_clip_path.read_bytes())
    assert response.status_code == 200, response.content
    # Its header is read where Django streamed it, on disk.
    assert (response.json()["size"], response.json()["seconds"]) == ("1280x720", "180")
    imported = Video.objects.get(kind="import")
    assert storage.size_and_sha256(upload_name(imported.pk))[0] == long_clip_path.stat().st_size


# Idempotency-Key ------------------------------------------------------------------------------


def test_an_upload_resent_with_a_new_boundary_finds_its_edit(client, key, clip_path, media_root):
    data = clip_path.read_bytes()
    headers = {"Idempotency-Key": "edit-1"}
    first = upload_edit(client, key, data, boundary="first-try", **headers)
    again = upload_edit(client, key, data, boundary="second-try-xyz", **headers)
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert Video.objects.count() == 2  # the import and the edit, once
    assert len([p for p in files_under(media_root) if "imports" in p.parts]) == 1

    other_file = upload_edit(client, key, data + b"\x00", **headers)
    other_prompt = upload_edit(client, key, data, prompt="mirror", **headers)
    for refused in (other_file, other_prompt):
        error = assert_error(refused, 409, None, "already used for a different request")
        assert error["code"] == "idempotency_key_reused"
    assert Video.objects.count() == 2
    assert len([p for p in files_under(media_root) if "imports" in p.parts]) == 1


def test_a_json_edit_key_reused_for_another_source_is_a_409(client, ana, key, source, clip_path):
    other = finished_video(ana, clip_path)
    headers = {"Idempotency-Key": "edit-2"}
    body = {"video": {"id": source.pk}, "prompt": "sepia"}
    first = post_json(client, EDITS, body, key, **headers)
    again = post_multipart(
        client, EDITS, {"video[id]": source.pk, "prompt": "sepia"}, key, **headers
    )
    assert again.json() == first.json()
    body = {"video": {"id": other.pk}, "prompt": "sepia"}
    assert_error(post_json(client, EDITS, body, key, **headers), 409)
    assert Video.objects.filter(kind="edit").count() == 1


# Characters and routes ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/v1/videos/characters"),
        ("get", "/v1/videos/characters"),
        ("get", "/v1/videos/characters/char_123"),
        ("delete", "/v1/videos/characters/char_123"),
    ],
)
def test_characters_are_not_offered_in_words(client, key, method, path):
    response = getattr(client, method)(path, headers=auth(key))
    error = assert_error(response, 404, None, "remixer does not offer characters")
    assert error["code"] == "characters_not_supported"
    assert "Allow" not in response


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("get", EDITS, "POST"),
        ("delete", EDITS, "POST"),
        ("options", "/v1/videos", "GET, POST"),
        ("head", "/v1/videos/video_1", "GET, DELETE"),
    ],
)
def test_a_wrong_method_names_the_methods_there_are(client, key, method, path, allowed):
    response = getattr(client, method)(path, headers=auth(key))
    assert response.status_code == 405 and response["Allow"] == allowed
    if method != "head":
        assert_error(response, 405, None, f"use {allowed}.")


@pytest.mark.parametrize("method", ["get", "post", "options", "put", "patch", "delete"])
def test_an_unknown_path_is_a_404_for_every_method(client, key, method):
    response = getattr(client, method)("/v1/videos/video_1/frames", headers=auth(key))
    assert_error(response, 404, None, "remixer's API has no")
    assert "Allow" not in response


# Scripts written for Sora ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "model", ["sora-2", "sora-2-pro", "sora-2-2025-10-06", "sora-2-pro-2025-10-06"]
)
def test_soras_models_are_made_by_the_local_engine_without_an_alias(client, key, model):
    response = create(client, key, model=model)
    assert response.status_code == 200, response.content
    assert response.json()["model"] == LOCAL_MODEL
    assert Video.objects.get().provider == Provider.default()


def test_a_dated_sora_name_goes_to_the_entry_aliased_to_its_name(client, key):
    gateway = Provider.objects.create(name="Gateway", base_url="http://127.0.0.1:9/v1")
    CatalogEntry.objects.create(provider=gateway, name="wan-2.2", aliases="sora-2-pro")
    for model in ("sora-2-pro", "sora-2-pro-2025-10-06"):
        assert create(client, key, model=model).json()["model"] == "wan-2.2"
    assert create(client, key, model="sora-2-2025-10-06").json()["model"] == LOCAL_MODEL
    assert list(Video.objects.values_list("provider__name", flat=True).order_by("created_at")) == [
        "Gateway",
        "Gateway",
        "Local engine",
    ]
    error = assert_error(create(client, key, model="sora-2-pro-latest"), 400, "model")
    assert "wan-2.2 (also sora-2-pro)" in error["message"]


@pytest.mark.parametrize(
    ("body", "param", "says"),
    [
        ({"seconds": "5"}, "seconds", "5 is not a length on offer, in seconds: 4, 8 or 12."),
        ({"seconds": 16}, "seconds", "4, 8 or 12"),
        ({"size": "1920x1080"}, "size", "720x1280, 1280x720, 1024x1792 or 1792x1024"),
        ({"prompt": "y" * 32001}, "prompt", "at most 32000 characters (it has 32001)"),
    ],
)
def test_errors_name_the_values_on_offer(client, key, body, param, says):
    assert_error(create(client, key, **body), 400, param, says)
    assert not Video.objects.exists()


def test_a_remix_key_reused_for_another_prompt_is_a_409(client, key, source):
    path = f"/v1/videos/{source.pk}/remix"
    headers = {"Idempotency-Key": "remix-1"}
    first = post_json(client, path, {"prompt": "sepia"}, key, **headers).json()
    again = post_multipart(client, path, {"prompt": "sepia"}, key, **headers).json()
    assert again == first
    assert_error(post_json(client, path, {"prompt": "mirror"}, key, **headers), 409)
    assert json.loads(json.dumps(Video.objects.get(pk=first["id"]).submission))["prompt"] == "sepia"
