"""One bad server never stalls the team: three real short-step workers drive a healthy
provider, one that hangs on every status call and one whose port is closed, at once. The
healthy jobs finish in their own time; the others say why they wait, then fail in words at
their deadline."""

import time

import pytest

from remixer.models import CatalogEntry, Provider, Video
from remixer.models.accounts import ApiKey
from remixer.tests.conftest import free_port
from remixer.tests.support.videos_api_server import VideosAPIServer
from remixer.tests.worker.conftest import create, unfinished

pytestmark = pytest.mark.django_db(transaction=True)

DEADLINE = 12  # seconds, for the faulty providers' jobs


def provider(name: str, url: str, model: str, **fields: object) -> Provider:
    made = Provider.objects.create(name=name, base_url=url, api_key="test-key", **fields)
    CatalogEntry.objects.create(provider=made, name=model)
    return made


def test_a_hung_and_a_gone_server_cost_a_healthy_one_nothing(client, ana, short_workers):
    key = ApiKey.issue(user=ana, name="tests")[1]
    auth = {"Authorization": f"Bearer {key}"}
    with (
        VideosAPIServer("openai", job_seconds=1) as healthy,
        VideosAPIServer("openai", job_seconds=1) as hung,
    ):
        hung.hang_next(10_000, seconds=60, method="GET")  # every status call hangs
        gone_url = f"http://127.0.0.1:{free_port()}/v1"
        provider("healthy", healthy.url, "sora-2")
        provider("hung", hung.url, "sora-2-pro", job_deadline=DEADLINE)
        gone = provider("gone", gone_url, "gone-video", job_deadline=DEADLINE)
        started = time.monotonic()
        faulty = [create(client, key, "sora-2-pro") for _ in range(3)]
        lost = create(client, key, "gone-video")
        quick = {create(client, key, "sora-2"): time.monotonic() for _ in range(3)}

        took: dict[str, float] = {}
        said: dict[str, set[str]] = {}  # what each faulty job's page said while it waited
        waited = None
        while len(took) < len(quick) or unfinished(faulty, lost):
            assert time.monotonic() - started < DEADLINE + 45, (took, said)
            for video in Video.objects.filter(pk__in=[*quick, *faulty, lost]):
                if video.pk in quick and video.status == "completed" and video.pk not in took:
                    took[video.pk] = time.monotonic() - quick[video.pk]
                if video.pk not in quick and video.retry_reason:
                    said.setdefault(video.pk, set()).add(video.retry_reason)
                if video.pk == lost and "has not answered" in video.retry_reason and not waited:
                    waited = client.get(f"/v1/videos/{lost}", headers=auth)
            time.sleep(0.2)
        ended = time.monotonic() - started

    print(f"healthy jobs took {sorted(round(t, 1) for t in took.values())} s;")
    print(f"the faulty ones failed within {ended:.1f} s of being created (deadline {DEADLINE} s)")
    assert max(took.values()) < 30  # alone they take 1–3 s; a hang would hold them for 12+
    assert waited is not None, said
    assert waited.json()["status"] == "queued"
    assert waited.json()["error"]["code"] == "provider_waiting"
    assert f"The server at {gone_url} has not answered since" in waited.json()["error"]["message"]
    assert set(said) == {*faulty, lost}
    assert all(any("has not answered since" in line for line in lines) for lines in said.values())
    gone_video = Video.objects.get(pk=lost)
    assert (gone_video.error_code, gone_video.submitted_at) == ("unreachable", None)
    assert gone_video.error_message == (
        f"remixer could not reach gone ({gone.base_url}) for 12 seconds; "
        "nothing was started there, so Retry is safe."
    )
    for video in Video.objects.filter(pk__in=faulty):
        assert video.error_code == "unreachable", video.error_message
        assert video.error_message.startswith(f"The server at {hung.url} has not answered since")
        assert video.error_message.endswith("and this video's deadline (12 seconds) has passed.")
        assert video.expires_at is None
