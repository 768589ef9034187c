"""Remixing on servers without a remix route: each strategy, its detection, and its fallback."""

import base64
import dataclasses
import io
import json
import tempfile
import threading
import tracemalloc
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import av
import numpy as np
import pytest
import requests
from PIL import Image

from remixer import tasks
from remixer.actions import videos
from remixer.actions.providers import check_connection
from remixer.lib import media
from remixer.models import CatalogEntry, Provider, Video
from remixer.providers import Job, remixes, strategies
from remixer.providers.factory import http_provider
from remixer.tests.conftest import finished_video
from remixer.tests.support.buckets import stored_copy
from remixer.tests.support.provider_jobs import create, drive, provider_for
from remixer.tests.support.videos_api_server import (
    VideosAPIServer,
    openapi_document,
    parse_multipart,
)
from remixer.worker.leases import ProgressWriter

pytestmark = pytest.mark.django_db
SERVED = "Wan2.2"


@pytest.fixture
def omni() -> Iterator[VideosAPIServer]:
    with VideosAPIServer("vllm-omni", job_seconds=0.3) as server:
        yield server


def made_on(server: VideosAPIServer, owner, clip: Path, strategy: str = "") -> Video:  # type: ignore[no-untyped-def]
    """A completed video this server made with its served model, its entry's strategy set."""
    provider = provider_for(server, SERVED)
    CatalogEntry.objects.filter(provider=provider).update(remix_strategy=strategy)
    return finished_video(
        owner, clip, provider=provider, model=SERVED, provider_video_id="video-made-there"
    )


def submit_remix(client, source: Video, prompt: str = "make it winter", **extra) -> Video:  # type: ignore[no-untyped-def]
    response = client.post(
        f"/videos/{source.pk}/remix", {"prompt": prompt, "form_token": str(uuid.uuid4()), **extra}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Video.objects.get(pk=response["Location"].rsplit("/", 1)[1])


def remix(client, source: Video, prompt: str = "make it winter") -> Video:  # type: ignore[no-untyped-def]
    return drive(submit_remix(client, source, prompt))


def sent_source(server: VideosAPIServer, remix: Video) -> tuple[str | None, bytes]:
    reference = server.jobs[remix.provider_video_id]["input_reference"]
    return reference["content_type"], reference["data"]


def assert_stored(video: Video) -> None:
    assert (video.status, video.error) == ("completed", None), video.error
    with tempfile.TemporaryDirectory() as folder:
        probe = media.verify(stored_copy(video.video_file, Path(folder)))
    assert (probe.width, probe.height, round(probe.duration)) == (1280, 720, 4)


def frame_pixels(path: Path, last: bool) -> np.ndarray:
    with av.open(str(path)) as container:
        for frame in container.decode(video=0):  # noqa: B007 - the last one is kept
            if not last:
                break
    return frame.to_ndarray(format="rgb24").astype(int)


# One test per strategy


def test_native_uses_the_remix_route(client, ana):
    with VideosAPIServer("openai", job_seconds=0.3) as server:
        provider_for(server)
        client.force_login(ana)
        source = drive(create(client))
        made = remix(client, source)
        assert server.count("POST", f"/v1/videos/{source.provider_video_id}/remix") == 1
    assert_stored(made)
    assert (made.strategy, made.remixed_from_video_id) == ("native", source.pk)
    assert "By the provider&#x27;s remix route" in client.get(made.get_absolute_url()).text


def test_video_file_sends_the_source_mp4_as_input_reference(stores, client, ana, omni, clip_path):
    source = made_on(omni, ana, clip_path, "video_file")
    client.force_login(ana)
    made = remix(client, source)
    assert_stored(made)
    assert sent_source(omni, made) == ("video/mp4", clip_path.read_bytes())
    fields = omni.received("POST", "/v1/videos")[0].fields
    assert (fields["prompt"], fields["model"], fields["size"], fields["seconds"]) == (
        "make it winter",
        SERVED,
        "1280x720",
        "4",
    )
    assert (made.strategy, made.remixed_from_video_id) == ("video_file", source.pk)
    assert omni.count("POST", "/v1/videos/video-made-there/remix") == 0


def test_video_url_sends_the_source_as_a_data_url(client, ana, omni, clip_path):
    source = made_on(omni, ana, clip_path, "video_url")
    client.force_login(ana)
    made = remix(client, source)
    assert_stored(made)
    sent = omni.received("POST", "/v1/videos")[0]
    fields, files = parse_multipart(sent.body, sent.headers["content-type"])
    url = json.loads(fields["video_reference"])["video_url"]
    assert url.startswith("data:video/mp4;base64,") and not files
    assert base64.b64decode(url.partition(",")[2]) == clip_path.read_bytes()
    assert made.strategy == "video_url"


def test_video_url_goes_in_a_json_body_where_the_provider_sends_json(client, ana, clip_path):
    with VideosAPIServer("vllm-omni", job_seconds=0.3, json_create=True) as server:
        source = made_on(server, ana, clip_path, "video_url")
        Provider.objects.filter(pk=source.provider_id).update(body_encoding="json")
        client.force_login(ana)
        made = remix(client, source)
        sent = server.received("POST", "/v1/videos")[0]
    assert_stored(made)
    assert sent.headers["content-type"] == "application/json"
    url = json.loads(sent.json()["video_reference"])["video_url"]
    assert base64.b64decode(url.partition(",")[2]) == clip_path.read_bytes()


@pytest.mark.parametrize("strategy", ["first_frame", "last_frame"])
def test_a_frame_of_the_source_goes_as_the_image(client, ana, clip_path, strategy):
    with VideosAPIServer("image-only", job_seconds=0.3) as server:
        source = made_on(server, ana, clip_path, strategy)
        client.force_login(ana)
        made = remix(client, source)
        kind, data = sent_source(server, made)
    assert_stored(made)
    assert kind == "image/png" and made.strategy == strategy
    sent = np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).astype(int)
    assert sent.shape == (720, 1280, 3)
    assert np.abs(sent - frame_pixels(clip_path, strategy == "last_frame")).mean() < 2
    page = client.get(made.get_absolute_url()).text
    assert f"From the source&#x27;s {strategy.split('_')[0]} frame" in page


def test_a_missing_remix_route_falls_back_and_the_entry_learns_it(client, ana, omni, clip_path):
    source = made_on(omni, ana, clip_path)  # nothing known: the remix route is tried first
    client.force_login(ana)
    made = remix(client, source)
    assert_stored(made)
    assert omni.count("POST", "/v1/videos/video-made-there/remix") == 1
    assert omni.count("POST", "/v1/videos") == 1
    assert sent_source(omni, made) == ("video/mp4", clip_path.read_bytes())
    assert made.strategy == "video_file"
    entry = CatalogEntry.objects.get(provider=source.provider)
    assert entry.remix_strategy == "video_file"
    assert 'answered HTTP 404 {"detail": "Not Found"}' in entry.remix_evidence
    assert "has no remix route" in entry.remix_evidence


def test_a_source_over_the_data_url_limit_takes_the_next_strategy(
    client, ana, omni, clip_path, settings
):
    settings.REMIXER_DATA_URL_LIMIT = 1000
    source = made_on(omni, ana, clip_path, "video_url")
    client.force_login(ana)
    made = remix(client, source)
    assert_stored(made)
    assert made.strategy == "video_file"
    assert "larger than 1000\xa0bytes, the limit for sending it as a data URL" in made.note
    assert CatalogEntry.objects.get(provider=source.provider).remix_strategy == "video_url"


def test_a_404_about_the_job_never_demotes(client, ana, clip_path):
    with VideosAPIServer("openai", job_seconds=0.3) as server:  # it forgot the job (a restart)
        provider = provider_for(server)
        source = finished_video(
            ana, clip_path, provider=provider, model="sora-2", provider_video_id="video_gone"
        )
        client.force_login(ana)
        made = remix(client, source)
        assert server.count("POST", "/v1/videos") == 0
    assert made.status == "failed" and "not found" in made.error_message
    entry = CatalogEntry.objects.get(provider=source.provider)
    assert (entry.remix_strategy, entry.remix_evidence) == ("", "")
    assert Provider.objects.get(pk=source.provider_id).can_remix is not False
    assert videos.remix_provider(source) == source.provider


def test_the_stand_ins_behave_as_the_servers_they_stand_for(omni, clip_path):
    auth = {"Authorization": "Bearer test-key"}
    root = omni.url.removesuffix("/v1")
    assert "video_reference" in json.dumps(requests.get(f"{root}/openapi.json", timeout=5).json())
    fields = {"prompt": (None, "winter"), "model": (None, "sora-2")}
    wrong = requests.post(f"{omni.url}/videos", files=fields, headers=auth, timeout=5)
    assert wrong.status_code == 404 and "sora-2" in wrong.json()["error"]["message"]
    remix_route = requests.post(f"{omni.url}/videos/x/remix", json={"prompt": "a"}, headers=auth)
    assert (remix_route.status_code, remix_route.json()) == (404, {"detail": "Not Found"})
    with VideosAPIServer("image-only") as plain:
        video = {"video_reference": (None, json.dumps({"video_url": "data:video/mp4;base64,AA"}))}
        ignored = requests.post(
            f"{plain.url}/videos", files={**fields, **video}, headers=auth, timeout=5
        )
        assert ignored.status_code == 200  # a field it lacks is dropped without a word
        assert plain.jobs[ignored.json()["id"]]["input_reference"] is None
        as_file = {"input_reference": ("clip.mp4", clip_path.read_bytes(), "video/mp4")}
        refused = requests.post(
            f"{plain.url}/videos", files={**fields, **as_file}, headers=auth, timeout=5
        )
        assert refused.status_code == 400


# Detection


def test_detection_reads_the_openapi_document_and_the_remix_route():
    omni = remixes.decide(
        openapi_document(VideosAPIServer("vllm-omni").behaviour), "u", (404, {"detail": "x"})
    )
    assert (omni.available, omni.missing, omni.decision) == (
        ("video_file", "video_url", "first_frame"),
        ("native",),
        "video_file",
    )
    image = remixes.decide(openapi_document(VideosAPIServer("image-only").behaviour), "u", None)
    assert image.decision == "first_frame"
    with_route = openapi_document(VideosAPIServer("openai").behaviour)
    assert remixes.decide(with_route, "u", None).decision == "native"
    # No document: only the route's own answer tells, and a video field is never assumed.
    envelope = {"error": {"message": "Video 'x' not found"}}
    assert remixes.decide(None, "u", (404, envelope)).decision == "native"
    assert remixes.decide(None, "u", (404, {"detail": "Not Found"})).decision == "none"
    assert remixes.decide(None, "u", (405, None)).decision == "none"
    assert remixes.decide(None, "u", (500, None)).decision is None
    assert remixes.decide(None, "u", (429, envelope)).decision is None
    assert remixes.decide(None, "u", None).available == ()
    assert remixes.route_missing(405, {"detail": "Method Not Allowed"})
    assert remixes.route_missing(404, None)  # a plain-text page
    assert not remixes.route_missing(404, {"object": "error", "message": "video-1 not found"})
    odd = {"requestBody": {"content": {"a": 1, "b": {"schema": {"$ref": "#/nowhere"}}}}}
    for document in ({"paths": 3}, {"paths": {"/v1/videos": {"post": odd}}}, ["x"]):
        assert remixes.decide(document, "u", None).available == ()  # and nothing breaks


def test_test_connection_detects_and_the_admin_shows_and_changes_it(client, admin_user, omni):
    provider = provider_for(omni, SERVED)
    message = check_connection(provider).message
    entry = CatalogEntry.objects.get(provider=provider)
    assert entry.remix_strategy == "video_file"
    assert "has no remix route" in message and "input_reference file" in message
    client.force_login(admin_user)
    page = client.get(f"/admin/remixer/catalogentry/{entry.pk}/change/").text
    assert "input_reference and video_reference" in page
    page = client.get(f"/admin/remixer/provider/{provider.pk}/change/").text
    assert "Remixes use the source video as an input_reference file." in page
    form = {"provider": provider.pk, "name": SERVED, "aliases": "", "sizes": entry.sizes}
    form |= {"seconds": entry.seconds, "price_per_second": "0", "remix_strategy": "first_frame"}
    client.post(f"/admin/remixer/catalogentry/{entry.pk}/change/", form)
    entry.refresh_from_db()
    assert entry.remix_strategy == "first_frame"
    assert entry.remix_evidence.endswith("chosen by an administrator.")
    client.post(
        "/admin/remixer/catalogentry/",
        {"action": "detect_remix_strategy", "_selected_action": [entry.pk]},
    )
    assert CatalogEntry.objects.get(pk=entry.pk).remix_strategy == "video_file"


def test_a_server_without_document_whose_route_answers_for_the_id_is_native():
    with VideosAPIServer("openai") as server:
        provider = provider_for(server)
        assert strategies.detect_entries(provider).endswith("Remixes use its remix route.")
    assert CatalogEntry.objects.get(provider=provider).remix_strategy == "native"


# The page, and where a remix goes


def test_the_page_says_how_the_remix_will_be_made(client, ana, omni, clip_path, monkeypatch):
    source = made_on(omni, ana, clip_path, "first_frame")
    client.force_login(ana)
    name = source.provider.name
    assert f"remixed by {name} from its first frame" in client.get(source.get_absolute_url()).text
    entries = CatalogEntry.objects.filter(provider=source.provider)
    entries.update(remix_strategy="video_url")
    assert f"remixed by {name} from the source video" in client.get(source.get_absolute_url()).text
    Provider.objects.filter(pk=source.provider_id).update(can_remix=False)  # learnt before
    assert videos.remix_provider(Video.objects.get(pk=source.pk)) == source.provider
    entries.update(remix_strategy="none")
    page = client.get(source.get_absolute_url()).text
    assert "How it will be made: with the local engine." in page
    local = submit_remix(client, Video.objects.get(pk=source.pk), "sepia", use_local="True")
    assert (local.provider.kind, local.strategy) == (Provider.Kind.LOCAL, "local")
    written: list[int] = []
    monkeypatch.setattr(ProgressWriter, "__call__", spy(ProgressWriter.__call__, written))
    tasks.render_video.call(local.pk)  # the engine renders it, its progress written as it goes
    local.refresh_from_db()
    assert (local.status, local.strategy) == ("completed", "local"), local.error
    assert len(set(written)) >= 2, written


def spy(method, written: list[int]):  # type: ignore[no-untyped-def]
    def call(self, done: int, total: int) -> None:  # type: ignore[no-untyped-def]
        written.append(done)
        method(self, done, total)

    return call


# Large sources are streamed


class Sink(BaseHTTPRequestHandler):
    """Writes each body to disk as it arrives, in small reads, and answers a queued job."""

    def do_POST(self) -> None:  # noqa: N802 - the base's name
        remaining = int(self.headers["Content-Length"])
        with Path(self.server.folder, "body").open("wb") as handle:  # type: ignore[attr-defined]
            while remaining:
                chunk = self.rfile.read(min(remaining, 64 * 1024))
                handle.write(chunk)
                remaining -= len(chunk)
        self.server.kind = self.headers["Content-Type"]  # type: ignore[attr-defined]
        answer = json.dumps({"id": "video-1", "status": "queued"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.mark.parametrize("strategy", ["video_file", "video_url"])
def test_a_large_source_is_streamed_not_held_in_memory(long_clip_path, tmp_path, strategy):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Sink)
    server.folder = tmp_path  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    provider = Provider(name="sink", base_url=f"http://127.0.0.1:{server.server_port}/v1")
    job = Job("video_x", "winter", SERVED, "1280x720", 4, tmp_path, source_video=long_clip_path)
    job = dataclasses.replace(job, remix_strategy=strategy)
    size = long_clip_path.stat().st_size
    assert size > 5_000_000
    tracemalloc.start()
    try:
        http_provider(provider).remix(job, lambda *_: None)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        server.shutdown()
    assert peak < 2 * 1024 * 1024, f"{peak} bytes at the peak for a {size}-byte source"
    fields, files = parse_multipart((tmp_path / "body").read_bytes(), server.kind)  # type: ignore[attr-defined]
    if strategy == "video_file":
        sent = files["input_reference"].data
    else:
        sent = base64.b64decode(json.loads(fields["video_reference"])["video_url"].split(",")[1])
    assert sent == long_clip_path.read_bytes()
