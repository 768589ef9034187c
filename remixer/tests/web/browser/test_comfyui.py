"""In a real Chromium: a creator makes a video with a team's ComfyUI workflow, then remixes
it through another, watching the job's progress live until the new video plays."""

import json
import re

import pytest

from remixer.actions import providers
from remixer.models import Provider, Video
from remixer.tests.conftest import log_in, shoot, wait_until_playable
from remixer.tests.support import comfyui_workflows as made
from remixer.tests.support.comfyui_server import serve

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_remix_through_comfyui_shows_its_progress_live_then_plays(server, browser, ana):
    with serve(node_seconds=0.01) as comfy:
        team = Provider.objects.create(name="gpu box", kind="comfyui", base_url=comfy.url)
        for name, workflow in (("make-red", made.solid_colour()), ("invert", made.inverted())):
            providers.save_workflow(team, name, json.dumps(workflow))
        page = log_in(browser, server, "ana", "ana-password-1")
        page.goto(f"{server}/videos/new")
        page.select_option("#id_model", "make-red")
        page.fill("#id_prompt", "a red field")
        page.click("main form button[type=submit]")
        page.wait_for_url(re.compile(r"/videos/video_[0-9a-f]+$"))
        red = page.url.rsplit("/", 1)[1]
        wait_until_playable(page)

        comfy.set(job_seconds=8)  # long enough to watch
        page.select_option("#id_workflow", "invert")
        page.fill("textarea[name=prompt]", "its negative")
        page.click("form[action$='/remix'] button[type=submit]")
        page.wait_for_url(re.compile(rf"/videos/(?!{red})video_[0-9a-f]+$"))
        seen = set()
        label = page.locator(".progress-label")
        for _ in range(60):
            text = label.text_content() if label.count() else ""
            if found := re.search(r"(\d+)%", text or ""):
                seen.add(int(found.group(1)))
            if len({p for p in seen if 0 < p < 100}) >= 2:
                break
            page.wait_for_timeout(250)
        assert len({p for p in seen if 0 < p < 100}) >= 2, seen  # it moved while we watched
        comfy.set(job_seconds=0)
        wait_until_playable(page)
        remix = Video.objects.get(pk=page.url.rsplit("/", 1)[1])
        assert (remix.model, remix.provider_id, remix.remixed_from_id) == ("invert", team.pk, red)
        assert abs(page.locator("#status video").evaluate("v => v.duration") - 4) < 0.2
        shoot(page, "comfyui-remix-desktop")
