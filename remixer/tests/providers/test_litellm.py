"""The real LiteLLM proxy, a gateway remixer did not write, on either side of remixer.

In front of a Videos-API server, LiteLLM rewrites ids, drops the prompt, cannot list or
delete, and answers every variant with the MP4; remixer drives it all the same. Behind it,
remixer's own /v1 serves a script that talks only to the proxy. `make test` installs the
pinned proxy into its own environment."""

import json
import os
import subprocess
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from openai import OpenAI

from remixer.actions.providers import check_connection
from remixer.models import LOCAL_MODEL, CatalogEntry, Provider, Video
from remixer.models.accounts import ApiKey, key_digest
from remixer.tests.conftest import ROOT, free_port, stop_process, wait_for
from remixer.tests.support.provider_jobs import assert_archived, create, drive
from remixer.tests.support.videos_api_server import VideosAPIServer
from remixer.worker import calls

pytestmark = pytest.mark.django_db
LITELLM = ROOT / ".venv-litellm" / "bin" / "litellm"
MASTER_KEY = "sk-remixer-tests"
REMIXER_KEY = "rmx-key-that-litellm-holds"


@pytest.fixture(scope="module")
def upstream() -> Iterator[VideosAPIServer]:
    with VideosAPIServer("openai", job_seconds=1.0) as server:
        yield server


@pytest.fixture(scope="module")
def gateway(upstream: VideosAPIServer, live_server, tmp_path_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The proxy's base URL (ending in /v1) with two models: sora-2, routed to `upstream`,
    and remixer, routed to remixer's own Videos API with the key REMIXER_KEY."""
    assert LITELLM.exists(), "the LiteLLM proxy is missing: `make test` installs it"
    folder = tmp_path_factory.mktemp("litellm")
    routes = {
        "sora-2": ("openai/sora-2", upstream.url, upstream.knobs.api_key),
        "remixer": (f"openai/{LOCAL_MODEL}", f"{live_server.url}/v1", REMIXER_KEY),
    }
    config = {  # YAML is a superset of JSON
        "model_list": [
            {
                "model_name": name,
                "litellm_params": {"model": model, "api_base": base, "api_key": key},
            }
            for name, (model, base, key) in routes.items()
        ],
        "router_settings": {"num_retries": 0},
        "general_settings": {"master_key": MASTER_KEY},
    }
    (folder / "config.yaml").write_text(json.dumps(config))
    port = free_port()
    log = folder / "litellm.log"
    process = subprocess.Popen(
        [LITELLM, "--config", "config.yaml", "--host", "127.0.0.1", "--port", str(port)],
        cwd=folder,
        # Not the tests' environment: LiteLLM would take DATABASE_URL for its own.
        env={
            "PATH": os.environ["PATH"],
            "HOME": str(folder),
            "LITELLM_LOCAL_MODEL_COST_MAP": "True",  # its bundled prices: no fetch from GitHub
        },
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        assert process.poll() is None, log.read_text()[-3000:]
        try:
            return urllib.request.urlopen(f"{url}/health/liveliness", timeout=2).status == 200
        except OSError:
            return False

    try:
        wait_for(answers, timeout=120)
        yield f"{url}/v1"
    finally:
        stop_process(process)


@pytest.fixture
def litellm(gateway: str) -> Provider:
    provider = Provider.objects.create(name="LiteLLM", base_url=gateway, api_key=MASTER_KEY)
    CatalogEntry.objects.create(provider=provider, name="sora-2")
    return provider


def test_a_video_made_through_litellm_is_copied_home_whole(client, ana, upstream, litellm):  # type: ignore[no-untyped-def]
    said = check_connection(litellm).message
    assert said.startswith("The server answers and accepts the key.")
    assert "OpenAPI document" in said and "has the remix route" in said  # the proxy's own
    assert CatalogEntry.objects.get(provider=litellm).remix_strategy == "native"
    litellm.refresh_from_db()
    assert litellm.can_list is False  # LiteLLM's list wants a provider it cannot be given

    client.force_login(ana)
    creates = upstream.count("POST", "/v1/videos")
    video = drive(create(client, prompt="a paper boat on a rain-soaked street"))
    assert_archived(video)  # with a WebP thumbnail made here: LiteLLM sent the MP4 for it
    assert upstream.count("POST", "/v1/videos") == creates + 1
    assert video.provider_video_id not in upstream.jobs  # LiteLLM's own id for the job
    assert (video.prompt, video.model) == ("a paper boat on a rain-soaked street", "sora-2")
    assert Provider.objects.get(pk=litellm.pk).has_variants is False
    served = client.get(f"/videos/{video.pk}/content")
    assert b"".join(served.streaming_content) == Path(video.video_file.path).read_bytes()


def test_a_litellm_video_is_remixed_there_and_deleted_here(client, ana, upstream, litellm):  # type: ignore[no-untyped-def]
    client.force_login(ana)
    source = drive(create(client, prompt="a lantern in the fog"))
    response = client.post(
        f"/videos/{source.pk}/remix", {"prompt": "at dawn", "form_token": str(uuid.uuid4())}
    )
    remix = drive(Video.objects.get(pk=response["Location"].rsplit("/", 1)[1]))
    assert_archived(remix)
    assert (remix.provider, remix.remixed_from_video_id) == (litellm, source.pk)
    remixes = [r for r in upstream.requests if r.method == "POST" and r.path.endswith("/remix")]
    assert len(remixes) == 1
    assert Provider.objects.get(pk=litellm.pk).can_remix is True

    # LiteLLM has no delete route: remixer learns it and deletes its own copy all the same.
    assert client.post(f"/videos/{remix.pk}/delete").status_code == 302
    calls.delete_upstream(litellm, remix.provider_video_id)
    assert Provider.objects.get(pk=litellm.pk).can_delete is False
    assert not Video.objects.in_library().filter(pk=remix.pk).exists()
    assert Video.objects.filter(pk=source.pk, status="completed").exists()


def test_a_create_lost_behind_litellm_is_never_sent_twice(client, ana, upstream, litellm):  # type: ignore[no-untyped-def]
    client.force_login(ana)
    upstream.fail_next(1, status=502, method="POST", path_prefix="/v1/videos", process=True)
    creates = upstream.count("POST", "/v1/videos")
    video = drive(create(client, prompt="a kite over the dunes"))
    assert upstream.count("POST", "/v1/videos") == creates + 1  # the job did start upstream
    assert (video.status, video.error_code) == ("failed", "outcome_unknown")
    assert "cannot tell whether the job started" in video.error_message
    assert litellm.base_url.removesuffix("/v1") in video.error_message  # where to look


@pytest.mark.django_db(transaction=True)
@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # the SDK marks videos deprecated
def test_a_script_reaches_remixer_through_litellm(ana, worker, gateway):  # type: ignore[no-untyped-def]
    ApiKey.objects.create(user=ana, name="LiteLLM", prefix="rmx", digest=key_digest(REMIXER_KEY))
    with OpenAI(base_url=gateway, api_key=MASTER_KEY, max_retries=0) as sdk:
        made = sdk.videos.create_and_poll(
            model="remixer",
            prompt="calm blue waves",
            size="1280x720",
            seconds="4",
            poll_interval_ms=300,
        )
        assert (made.status, made.progress) == ("completed", 100), made.error
        video = Video.objects.get(owner=ana)
        assert made.id != video.pk  # LiteLLM's id for it, carrying remixer's
        assert (
            sdk.videos.download_content(made.id).content == Path(video.video_file.path).read_bytes()
        )

        remixed = sdk.videos.poll(
            sdk.videos.remix(made.id, prompt="sepia, mirror").id, poll_interval_ms=300
        )
        assert remixed.status == "completed", remixed.error
    remix = Video.objects.get(remixed_from=video)
    assert (remix.status, set(remix.recipe_steps)) == (
        "completed",
        {"Sepia (100%)", "Mirror (left-right)"},
    )
