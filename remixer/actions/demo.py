"""The demo library: a dozen videos made by the local engine, some of them remixes of others."""

import uuid
from collections.abc import Iterator
from typing import Any

from django.contrib.auth import get_user_model

from remixer.actions import jobs, specs
from remixer.models import LOCAL_MODEL, CatalogEntry, Provider, Video
from remixer.models.recipes import parse_recipe
from remixer.worker import pipeline

# (prompt, size, seconds, index of the video it remixes or None)
DEMO = [
    ("Ocean waves at golden sunset, slow drifting circles", "1280x720", "12", None),
    ("Neon city lights pulsing at night", "1280x720", "4", None),
    ("Forest morning, soft green light through the leaves", "720x1280", "4", None),
    ("Snowy mountain calm under a pale winter sky", "1280x720", "4", None),
    ("Candy pop bubbles bouncing on pink", "720x1280", "4", None),
    ("Aurora over a frozen lake, spinning stars", "1280x720", "8", None),
    ("Desert dunes and warm waves of heat", "1280x720", "4", None),
    ("black and white, mirror", "1280x720", "4", 1),
    ("sepia, 'Good morning'", "720x1280", "4", 2),
    ("invert, zoom in", "1280x720", "4", 3),
    ("neon, speed up", "720x1280", "4", 4),
    ("reverse, vignette", "1280x720", "4", 7),
]


def demo_owner() -> Any:
    owner, created = get_user_model().objects.get_or_create(username="studio")
    if created:
        owner.set_unusable_password()
        owner.save()
    return owner


def make_video(prompt: str, size: str, seconds: str, source: Video | None = None) -> Video:
    """Submit one video like any job (exempt from the active-job limit), then make it in this
    process through the same pipeline the workers run; their queued task finds it done."""
    owner, token = demo_owner(), uuid.uuid4()
    if source is None:
        entry = CatalogEntry.objects.get(provider=Provider.default(), name=LOCAL_MODEL)
        spec = specs.create_spec(
            owner=owner,
            entry=entry,
            prompt=prompt,
            size=size,
            seconds=seconds,
            token=token,
            exempt=True,
        )
    else:
        recipe = parse_recipe(prompt, (source.width, source.height)).to_json()
        spec = specs.remix_spec(
            owner=owner,
            source=source,
            prompt=prompt,
            recipe=recipe,
            token=token,
            use_local=True,
            exempt=True,
        )
    video = jobs.submit(spec)
    pipeline.render(video.pk)
    video.refresh_from_db()
    return video


def load() -> Iterator[Video]:
    made: list[Video] = []
    for prompt, size, seconds, source_index in DEMO:
        source = made[source_index] if source_index is not None else None
        made.append(make_video(prompt, size, seconds, source))
        yield made[-1]
