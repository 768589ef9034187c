"""A provider that hangs, refuses or disappears costs its own jobs a wait it names or a clear
failure: its circuit opens and closes, its places for calls are bounded, deadlines hold for
jobs never sent, and no ending promises a retry that will not come."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from remixer import tasks
from remixer.models import Provider, Video
from remixer.models.accounts import ApiKey
from remixer.providers import ProviderError, circuits
from remixer.tests.conftest import free_port
from remixer.tests.support.provider_jobs import assert_archived, create, drive, provider_for
from remixer.tests.support.videos_api_server import VideosAPIServer
from remixer.worker import pipeline, recovery, waits

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def quick(settings):  # type: ignore[no-untyped-def]
    """Faults of seconds, not minutes."""
    settings.REMIXER_HTTP_TIMEOUT = 1
    settings.REMIXER_RETRY_FIRST = 1
    settings.REMIXER_RETRY_CEILING = 4


def closed_port_provider(**fields: object) -> Provider:
    """A provider whose port nothing listens on: every connection is refused."""
    url = f"http://127.0.0.1:{free_port()}/v1"
    provider = Provider.objects.create(name="gone", base_url=url, api_key="k", **fields)
    provider.catalog.create(name="sora-2")
    return provider


def sent_long_ago(video: Video, seconds: float) -> None:
    Video.objects.filter(pk=video.pk).update(created_at=timezone.now() - timedelta(seconds=seconds))


def test_a_closed_port_opens_the_circuit_and_the_job_fails_in_words_at_its_deadline(client, ana):
    provider = closed_port_provider(job_deadline=60)
    client.force_login(ana)
    video = create(client)
    tries = [pipeline.submit(video.pk) for _ in range(4)]
    assert all(later is not None and later.step == "submit" for later in tries), tries
    provider.refresh_from_db()
    assert provider.unreachable and provider.unanswered_calls == 4
    assert "Connection refused" in provider.last_error or "refused" in provider.last_error
    assert tries[-1] == waits.Later("submit", 2.0)  # 1 s, doubled once past the third
    since = timezone.localtime(provider.unanswered_since).strftime("%H:%M")
    line = (
        f"The server at {provider.base_url} has not answered since {since} UTC; "
        "remixer tries again every 2 seconds."
    )
    fragment = client.get(f"/videos/{video.pk}/status").content.decode()
    assert line in fragment
    key = ApiKey.issue(user=ana, name="tests")[1]
    seen = client.get(f"/v1/videos/{video.pk}", headers={"Authorization": f"Bearer {key}"})
    assert seen.json()["status"] == "queued"
    assert seen.json()["error"] == {"code": "provider_waiting", "message": line}

    sent_long_ago(video, 61)
    assert pipeline.submit(video.pk) is None
    video.refresh_from_db()
    assert (video.status, video.error_code, video.submitted_at) == ("failed", "unreachable", None)
    assert video.error_message == (
        f"remixer could not reach gone ({provider.base_url}) for 60 seconds; "
        "nothing was started there, so Retry is safe."
    )
    ended = client.get(f"/v1/videos/{video.pk}", headers={"Authorization": f"Bearer {key}"})
    assert ended.json()["error"] == {"code": "unreachable", "message": video.error_message}


def test_a_job_waiting_for_its_deadline_is_looked_at_again_as_it_passes(client, ana):
    closed_port_provider(job_deadline=130)
    client.force_login(ana)
    video = create(client)
    sent_long_ago(video, 129)
    later = pipeline.submit(video.pk)
    assert later is not None and later.seconds <= 2.0  # cut short by the deadline, not 10 s
    time.sleep(max(0.0, later.seconds - 0.5))
    sent_long_ago(video, 131)
    pipeline.submit(video.pk)
    video.refresh_from_db()
    assert "for 3 minutes;" in video.error_message  # 130 s told rounded up


def test_the_first_answer_closes_the_circuit_and_the_job_completes(client, ana, api):
    provider = provider_for(api)
    client.force_login(ana)
    video = create(client)
    assert pipeline.submit(video.pk) is not None
    api.hang_next(3, seconds=3, method="GET")  # three polls time out, then it answers again
    for _ in range(3):
        later = pipeline.poll(video.pk)
        assert later is not None and later.step == "poll"
    provider.refresh_from_db()
    assert provider.unreachable
    video.refresh_from_db()
    assert video.retry_reason == provider.unreachable_line()
    assert video.poll_failures == 0  # silence waits for the deadline; it is not counted
    other = create(client, prompt="another take")  # its try put off by the silence
    far = timezone.now() + timedelta(seconds=300)
    tasks.submit_video.using(run_after=far).enqueue(other.pk)
    waiting = DBTaskResult.objects.filter(args_kwargs__args__0=other.pk, status="READY")
    assert waiting.filter(run_after=far).exists()
    assert_archived(drive(video, step="poll"))
    provider.refresh_from_db()
    assert (provider.unanswered_calls, provider.unanswered_since) == (0, None)
    assert not waiting.filter(run_after=far).exists()  # it goes now that the server answers
    assert waiting.count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_hung_status_call_keeps_its_lease_and_its_place(client, ana, settings):
    settings.REMIXER_LEASE_SECONDS = 1.5
    settings.REMIXER_HTTP_TIMEOUT = 3
    with VideosAPIServer("openai", job_seconds=0.5) as api:
        provider = provider_for(api)
        client.force_login(ana)
        video = create(client)
        assert pipeline.submit(video.pk) is not None
        api.hang_next(5, seconds=10, method="GET")
        polling = threading.Thread(target=pipeline.poll, args=(video.pk,))
        polling.start()
        time.sleep(2.5)  # well past the lease it was claimed with
        assert recovery.sweep() == []  # renewed while it waits: nobody takes it over
        held = provider.calls.exclude(holder="")
        assert [call.holder.split()[-1] for call in held] == [video.pk]
        polling.join()
        video.refresh_from_db()
        assert video.retry_reason.startswith("The provider did not answer in time.")
        assert not provider.calls.exclude(holder="").exists()  # given back
        provider.refresh_from_db()
        assert provider.unanswered_calls == 1 and "ReadTimeout" in provider.last_error


def test_places_for_calls_are_bounded_shared_and_freed_when_their_holder_dies(settings):
    settings.REMIXER_CALLS_PER_PROVIDER = 2
    provider = closed_port_provider()
    with circuits.place_for(provider, "host:1 a"), circuits.place_for(provider, "host:2 b"):
        with pytest.raises(circuits.Busy) as busy, circuits.place_for(provider, "host:3 c"):
            pass
        assert busy.value.wait == circuits.BUSY_WAIT
        stale = provider.calls.get(holder="host:1 a")
        provider.calls.filter(pk=stale.pk).update(held_until=timezone.now() - timedelta(1))
        with circuits.place_for(provider, "host:3 c"):  # a dead holder's place
            pass
    with circuits.place_for(provider, "host:4 " + "x" * 600):  # a long name is cut to fit
        assert provider.calls.filter(holder="host:4 " + "x" * 193).exists()
    error = ProviderError("unreachable", "The provider cannot be reached.", unanswered=True)
    for _ in range(3):
        circuits.record(provider, error)
    provider.refresh_from_db()
    assert provider.unreachable and circuits.places(provider) == 1
    with circuits.place_for(provider, "host:1 a"), pytest.raises(circuits.Busy) as busy:  # noqa: SIM117
        with circuits.place_for(provider, "host:2 b"):
            pass
    assert busy.value.wait == provider.retry_every == 1


def test_garbled_status_answers_end_the_job_without_promising_a_retry(client, ana, api):
    provider_for(api)
    client.force_login(ana)
    video = create(client)
    api.malformed_json_next(100, method="GET")
    video = drive(video)
    assert (video.status, video.error_code) == ("failed", "unreadable_answer")
    assert video.error_message == (
        "The provider sent an answer remixer could not read. remixer asked 21 times, then stopped."
    )
    assert "retry" not in video.error_message and "tries again" not in video.error_message


def test_a_failed_video_has_no_expires_at_of_the_providers(client, ana):
    with VideosAPIServer("webpage", job_seconds=0.2, expires_in=-7200) as api:
        provider_for(api)
        client.force_login(ana)
        video = drive(create(client))
    assert (video.status, video.error_code) == ("failed", "download_expired")
    assert video.expires_at is None
    assert video.as_api_object()["expires_at"] is None


def test_the_admin_shows_each_providers_health_in_one_query(admin_client, ana, api):
    healthy = provider_for(api)
    gone = closed_port_provider()
    error = ProviderError("unreachable", "The provider cannot be reached.", unanswered=True)
    for _ in range(3):
        circuits.record(gone, error)
    now = timezone.now()
    for seconds in (10, 20, 30, 40, 400):
        Video.objects.create(
            owner=ana, provider=healthy, model="sora-2", prompt="p", size="1280x720",
            seconds="4", status="completed", created_at=now - timedelta(seconds=seconds),
            ended_at=now,
        )  # fmt: skip
    for code in ("timeout", "timeout", "moderation_blocked"):
        Video.objects.create(
            owner=ana, provider=gone, model="sora-2", prompt="p", size="1280x720",
            seconds="4", status="failed", error_code=code, ended_at=now,
        )  # fmt: skip
    Video.objects.create(owner=ana, provider=gone, model="sora-2", size="1280x720", seconds="4")
    page = admin_client.get("/admin/remixer/provider/").content.decode()
    assert "median 30 seconds, p95 7 minutes (5 completed)" in page
    assert "timeout: 2, moderation_blocked: 1" in page
    assert "Not answering since" in page and "(3 calls in a row)" in page
    Provider.objects.create(name="another", base_url="http://127.0.0.1:9/v1")
    with CaptureQueriesContext(connection) as one_more_row:
        admin_client.get("/admin/remixer/provider/")
    Provider.objects.create(name="and another", base_url="http://127.0.0.1:9/v1")
    with CaptureQueriesContext(connection) as two_more_rows:
        admin_client.get("/admin/remixer/provider/")
    assert len(two_more_rows) == len(one_more_row)  # not one query per row
