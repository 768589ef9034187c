"""Extend: a video made longer by a new segment that continues from its last frame."""

import io
import tempfile
import uuid
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from remixer.actions import jobs, specs
from remixer.actions.errors import NotAllowed
from remixer.engine.render.join import Layout, conform, join, last_frame
from remixer.models import Video
from remixer.models.accounts import ApiKey
from remixer.providers import Job
from remixer.providers.local import LocalProvider
from remixer.tests.conftest import finished_video, video_row
from remixer.tests.support.buckets import stored_copy
from remixer.tests.support.provider_jobs import create, drive, provider_for
from remixer.tests.support.source_clips import decode, diff, write_source
from remixer.tests.support.videos_api_server import VideosAPIServer, parse_multipart
from remixer.worker import pipeline

SOURCE_SECONDS, FPS = 2, 24
SEAM_LIMIT = 8.0  # mean absolute difference (0-255) between the frames either side of the seam


@pytest.fixture(scope="module")
def sound_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2 s of 256x144 at 24 fps with a stereo tone: the source the local engine extends."""
    return write_source(tmp_path_factory.mktemp("extend") / "source.mp4", audio=True)


def durations(path: Path) -> tuple[float, float | None]:
    with av.open(str(path)) as container:
        video = container.streams.video[0]
        audio = container.streams.audio[0] if container.streams.audio else None
        seconds = float(video.duration * video.time_base)
        sound = float(audio.duration * audio.time_base) if audio else None
    return seconds, sound


def stored_file(video: Video, folder: Path) -> Path:
    return stored_copy(video.video_file, folder)


def extend_page(client, source: Video, prompt: str = "the waves calm down", seconds: str = "4"):  # type: ignore[no-untyped-def]
    return client.post(f"/videos/{source.pk}/extend", page_fields(prompt, seconds))


def page_fields(prompt: str, seconds: str) -> dict[str, str]:
    """The extend form's fields as the page names them, beside the remix form's."""
    fields = {"prompt": prompt, "seconds": seconds, "form_token": str(uuid.uuid4())}
    return {f"extend-{name}": value for name, value in fields.items()}


# The engine on files


def test_join_keeps_the_source_then_the_conformed_segment_in_step(tmp_path, sound_clip):
    segment = tmp_path / "segment.mp4"
    conform(sound_clip, segment, Layout(320, 180, Fraction(30), 44100, "mono"))
    with av.open(str(segment)) as container:
        video, audio = container.streams.video[0], container.streams.audio[0]
        assert (video.codec_context.width, video.codec_context.height) == (320, 180)
        assert video.average_rate == 30 and video.frames == 60
        assert (audio.codec_context.sample_rate, audio.layout.name) == (44100, "mono")
    joined = tmp_path / "joined.mp4"
    layout = join(sound_clip, segment, joined)
    assert (layout.size, layout.fps, layout.sample_rate) == ("256x144", Fraction(24), 48000)
    frames = decode(joined)
    assert len(frames) == 2 * SOURCE_SECONDS * FPS
    assert frames[0].shape == (144, 256, 3)
    seconds, sound = durations(joined)
    assert abs(seconds - 2 * SOURCE_SECONDS) <= 1 / FPS
    assert sound is not None and abs(sound - seconds) < 0.05


def test_the_local_engine_reports_progress_across_both_parts(tmp_path, sound_clip):
    reported: list[int] = []
    job = Job(
        video_id="video_progress",
        prompt="the waves calm down",
        model="remixer-local",
        size="256x144",
        seconds=6,
        workdir=tmp_path,
        source_video=sound_clip,
        extend_seconds=4,
    )
    LocalProvider().extend(job, lambda done, total: reported.append(done * 100 // total))
    assert reported == sorted(reported) and reported[-1] == 100
    share = 100 * 4 // (4 + 6)
    assert any(p < share for p in reported) and any(share < p < 100 for p in reported)


# On the local engine, through the page and the worker's step


def test_an_extension_on_the_local_engine_continues_without_a_seam(client, ana, sound_clip):
    source = finished_video(ana, sound_clip, size="256x144", seconds=str(SOURCE_SECONDS))
    client.force_login(ana)
    page = client.get(f"/videos/{source.pk}")
    assert b'action="/videos/' + source.pk.encode() + b'/extend"' in page.content
    assert page.content.count(b'<textarea name="prompt"') == 1  # the remix form's alone
    response = extend_page(client, source)
    assert response.status_code == 302
    extension = Video.objects.get(pk=response["Location"].rsplit("/", 1)[1])
    assert (extension.kind, extension.seconds, extension.remixed_from) == ("extension", "6", source)
    pipeline.render(extension.pk)
    extension.refresh_from_db()
    assert (extension.status, extension.strategy, extension.error) == ("completed", "local", None)
    assert extension.remixed_from_video_id == source.pk
    with tempfile.TemporaryDirectory() as folder:
        path = stored_file(extension, Path(folder))
        frames = decode(path)
        seconds, sound = durations(path)
        with Image.open(last_frame(sound_clip, Path(folder) / "last.png")) as image:
            source_last = np.asarray(image.convert("RGB"))
    total = SOURCE_SECONDS + 4
    assert len(frames) == total * FPS
    assert abs(seconds - total) <= 1 / FPS
    assert sound is not None and abs(sound - seconds) < 0.05  # the sound lasts as long
    seam = diff(frames[SOURCE_SECONDS * FPS - 1], frames[SOURCE_SECONDS * FPS])
    assert seam < SEAM_LIMIT, seam
    assert diff(frames[SOURCE_SECONDS * FPS - 1], source_last) < SEAM_LIMIT
    assert frames[SOURCE_SECONDS * FPS].mean() > 40  # no jump to black
    shown = client.get(f"/videos/{extension.pk}").content.decode()
    assert "extended from" in shown and source.get_absolute_url() in shown
    assert "With the local engine" in shown


def test_the_form_refuses_a_length_not_on_offer_then_extends_through_htmx(client, ana, sound_clip):
    source = finished_video(ana, sound_clip, size="256x144", seconds="2")
    client.force_login(ana)
    before = Video.objects.count()
    data = page_fields("more", "5")
    response = client.post(f"/videos/{source.pk}/extend", data, headers={"HX-Request": "true"})
    assert response.status_code == 200 and 'id="extend"' in response.content.decode()
    assert "adds 4, 8, 12, 16 or 20 seconds, not 5" in response.content.decode()
    assert Video.objects.count() == before
    data["extend-seconds"] = "16"
    response = client.post(f"/videos/{source.pk}/extend", data, headers={"HX-Request": "true"})
    extension = Video.objects.get(remixed_from=source)
    assert response["HX-Redirect"] == extension.get_absolute_url()
    assert (extension.seconds, extension.status, extension.prompt) == ("18", "queued", "more")


# On an HTTP provider


def server_source(client, ana, server: VideosAPIServer) -> Video:  # type: ignore[no-untyped-def]
    provider_for(server)
    client.force_login(ana)
    source = drive(create(client))
    assert source.status == "completed"
    return source


def test_a_provider_with_an_extensions_route_makes_the_whole(client, ana):
    with VideosAPIServer("openai", job_seconds=0.3) as server:
        source = server_source(client, ana, server)
        extension = Video.objects.get(pk=extend_page(client, source)["Location"].rsplit("/")[-1])
        extension = drive(extension)
        sent = server.received("POST", "/v1/videos/extensions")
    assert (extension.status, extension.error) == ("completed", None)
    assert (extension.strategy, extension.seconds, extension.size) == (
        "extensions",
        "8",
        "1280x720",
    )
    assert len(sent) == 1
    assert sent[0].json() == {
        "video": {"id": source.provider_video_id},
        "prompt": "the waves calm down",
        "seconds": "4",
    }
    with tempfile.TemporaryDirectory() as folder:
        seconds, _ = durations(stored_file(extension, Path(folder)))
    assert abs(seconds - 8) <= 1 / FPS


@pytest.mark.parametrize("missing", [404, 405])
def test_without_the_route_the_segment_starts_from_the_last_frame_and_is_joined(
    client, ana, missing
):
    with VideosAPIServer("openai", job_seconds=0.3, framework="starlette") as server:
        source = server_source(client, ana, server)
        server.set(missing_routes={"extensions": missing})  # FastAPI's bare answers
        extension = Video.objects.get(pk=extend_page(client, source)["Location"].rsplit("/")[-1])
        extension = drive(extension)
        creates = server.received("POST", "/v1/videos")
        refused = server.received("POST", "/v1/videos/extensions")
    assert (extension.status, extension.error) == ("completed", None)
    assert (extension.strategy, extension.seconds) == ("last_frame", "8")
    assert len(refused) == 1 and len(creates) == 2  # the source's create, then the segment's
    fields, files = parse_multipart(creates[1].body, creates[1].headers["content-type"])
    assert (fields["prompt"], fields["seconds"], fields["size"]) == (
        "the waves calm down",
        "4",
        "1280x720",
    )
    with tempfile.TemporaryDirectory() as folder:
        sent = np.asarray(Image.open(io.BytesIO(files["input_reference"].data)).convert("RGB"))
        with Image.open(
            last_frame(stored_file(source, Path(folder)), Path(folder) / "l.png")
        ) as im:
            assert diff(sent, np.asarray(im.convert("RGB"))) < 1.0
        joined = stored_file(extension, Path(folder))
        frames = decode(joined)
        seconds, _ = durations(joined)
    assert len(frames) == 8 * FPS and abs(seconds - 8) <= 1 / FPS
    assert frames[0].shape == (720, 1280, 3)


def test_a_segment_whose_answer_never_came_is_found_in_the_providers_list(client, ana, settings):
    settings.REMIXER_HTTP_TIMEOUT = 1
    with VideosAPIServer("openai", job_seconds=0.3, framework="starlette") as server:
        source = server_source(client, ana, server)
        server.set(missing_routes={"extensions": 404})
        server.hang_next(
            1, seconds=3, method="POST", path_prefix="/v1/videos", path_suffix="/videos"
        )
        extension = Video.objects.get(pk=extend_page(client, source)["Location"].rsplit("/")[-1])
        extension = drive(extension)
        assert server.count("POST", "/v1/videos") == 2  # the segment's create, sent once
        assert extension.provider_video_id in server.jobs
    assert (extension.status, extension.strategy, extension.error) == (
        "completed",
        "last_frame",
        None,
    )


# /v1


@pytest.fixture
def v1(client, ana):  # type: ignore[no-untyped-def]
    key = ApiKey.issue(user=ana, name="tests")[1]

    def post(body: object = None, **kwargs: object):  # type: ignore[no-untyped-def]
        headers = {"Authorization": f"Bearer {key}"}
        if body is not None:
            return client.post(
                "/v1/videos/extensions", body, content_type="application/json", headers=headers
            )
        return client.post("/v1/videos/extensions", kwargs, headers=headers)

    return post


def test_v1_extends_a_library_video_named_in_json_or_a_form(v1, ana, sound_clip):
    source = finished_video(ana, sound_clip, size="256x144", seconds="2")
    answer = v1({"video": {"id": source.pk}, "prompt": "the tide goes out", "seconds": "8"})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["object"], body["seconds"], body["remixed_from_video_id"]) == (
        "video",
        "10",
        source.pk,
    )
    assert body["status"] == "queued" and body["size"] == "256x144"
    form = v1(**{"video[id]": source.pk, "prompt": "and back in", "seconds": "4"})
    assert form.status_code == 200, form.content
    assert form.json()["seconds"] == "6"
    kinds = set(Video.objects.filter(remixed_from=source).values_list("kind", flat=True))
    assert kinds == {"extension"}


@pytest.mark.parametrize(
    ("fields", "status", "words"),
    [
        ({"seconds": "5"}, 400, "4, 8, 12, 16 or 20 seconds, not 5"),
        ({"seconds": "20", "limit": 20}, 400, "at most 20 seconds"),
        ({"status": "in_progress"}, 400, "Only a completed video can be extended"),
        ({"video": {"id": "video_nowhere"}}, 404, "No video found"),
        ({"video": "video_1"}, 400, "neither a video's id nor a file"),
    ],
)
def test_v1_refuses_bad_extensions_and_stores_nothing(
    v1, ana, sound_clip, settings, fields, status, words
):
    settings.REMIXER_MAX_EXTENDED_SECONDS = fields.pop("limit", 120)
    source = finished_video(ana, sound_clip, size="256x144", seconds="2")
    if "status" in fields:
        Video.objects.filter(pk=source.pk).update(status=fields.pop("status"))
    before = Video.objects.count()
    answer = v1({"video": {"id": source.pk}, "prompt": "more", "seconds": "4", **fields})
    assert answer.status_code == status, answer.content
    assert words in answer.json()["error"]["message"]
    assert Video.objects.count() == before


@pytest.mark.parametrize(
    ("content", "seconds", "words"),
    [
        (b"\x89PNG\r\n\x1a\n not a video", "4", "The file is not an MP4 video."),
        (b"\x00\x00\x00\x18ftypmp42", "5", "4, 8, 12, 16 or 20 seconds, not 5"),
    ],
)
def test_v1_refuses_a_bad_upload_to_extend_and_stores_nothing(
    v1, ana, media_root, content, seconds, words
):
    video_row(ana)
    before = Video.objects.count()
    clip = io.BytesIO(content)
    clip.name = "clip.mp4"
    answer = v1(video=clip, prompt="more", seconds=seconds)
    assert answer.status_code == 400, answer.content
    assert words in answer.json()["error"]["message"]
    assert Video.objects.count() == before
    assert not [path for path in media_root.rglob("*") if path.is_file()]


def test_the_one_door_checks_the_source_again_under_its_lock(ana, sound_clip):
    source = finished_video(ana, sound_clip, size="256x144", seconds="2")
    spec = specs.extend_spec(
        owner=ana, source=source, prompt="more", seconds="4", token=uuid.uuid4()
    )
    Video.objects.filter(pk=source.pk).update(status="failed")  # meanwhile, in another tab
    before = Video.objects.count()
    with pytest.raises(NotAllowed, match="Only a completed video can be extended"):
        jobs.submit(spec)
    assert Video.objects.count() == before
