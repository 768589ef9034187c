"""Two ComfyUIs at once through real worker processes: one works, the other goes down while
its jobs wait and comes back having forgotten them. Every job ends completed, none stuck."""

import json
import time

import pytest

from remixer.actions import providers
from remixer.models import Provider, Video
from remixer.models.accounts import ApiKey
from remixer.tests.support import comfyui_workflows as made
from remixer.tests.support.comfyui_server import serve
from remixer.tests.worker.conftest import create, unfinished

pytestmark = pytest.mark.django_db(transaction=True)


def comfyui(name: str, url: str, model: str) -> Provider:
    provider = Provider.objects.create(name=name, kind="comfyui", base_url=url)
    providers.save_workflow(provider, model, json.dumps(made.solid_colour()))
    return provider


def test_a_comfyui_that_restarts_while_its_jobs_wait_costs_them_a_resend(
    client, ana, short_workers
):
    key = ApiKey.issue(user=ana, name="tests")[1]
    with serve(node_seconds=0.01, job_seconds=4) as steady, serve(job_seconds=4) as restarting:
        comfyui("steady", steady.url, "steady-red")
        comfyui("restarting", restarting.url, "restarting-red")
        ours = [create(client, key, "steady-red") for _ in range(2)]
        theirs = [create(client, key, "restarting-red") for _ in range(2)]
        deadline = time.monotonic() + 30
        while restarting.count("POST", "/prompt") != 2:
            assert time.monotonic() < deadline, "the jobs were never queued"
            time.sleep(0.2)
        restarting.stop()  # down: connections refused, its queue forgotten
        time.sleep(4)
        said = set(Video.objects.filter(pk__in=theirs).values_list("retry_reason", flat=True))
        restarting.start()
        while unfinished(ours, theirs) and time.monotonic() < deadline + 60:
            time.sleep(0.3)
    ended = {video.pk: video for video in Video.objects.filter(pk__in=[*ours, *theirs])}
    assert {pk: (v.status, v.error) for pk, v in ended.items()} == {
        pk: ("completed", None) for pk in ended
    }
    assert [ended[pk].resends for pk in theirs] == [1, 1]
    assert [ended[pk].resends for pk in ours] == [0, 0]
    assert all("forgot this job" in ended[pk].note for pk in theirs)
    assert any("has not answered since" in line or "cannot be reached" in line for line in said)
    assert restarting.count("POST", "/prompt") == 4  # after the restart: each sent once more
