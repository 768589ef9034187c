"""The demo library: a dozen videos made by the local engine, some of them remixes of others.

They are submitted like any job, all at once and behind everyone's (`tasks.BACKGROUND`), so
they arrive in the library one by one while the site is in use; each remix waits for its
source (`jobs.submit_after`). Their tokens are fixed: submitting the demo again finds the
same jobs.
"""

import uuid
from dataclasses import replace
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from remixer import tasks
from remixer.actions import jobs, specs
from remixer.models import LOCAL_MODEL, CatalogEntry, Provider, Video
from remixer.models.recipes import parse_recipe, remixed_size
from remixer.providers.kinds import capabilities

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
# The demo's tokens are derived from this one (any fixed UUID would do).
DEMO_TOKENS = uuid.UUID("0b6f2b7e-3c1d-4e0a-9f5b-7a8d2c4e6f10")


def demo_owner() -> Any:
    owner, created = get_user_model().objects.get_or_create(username="studio")
    if created:
        owner.set_unusable_password()
        owner.save()
    return owner


def make_video(prompt: str, size: str, seconds: str, token: uuid.UUID | None = None) -> Video:
    """One demo video from a prompt, queued behind everyone's (exempt from the active-job
    limit); a worker makes it."""
    entry = CatalogEntry.objects.get(provider=Provider.default(), name=LOCAL_MODEL)
    spec = specs.create_spec(
        owner=demo_owner(),
        entry=entry,
        prompt=prompt,
        size=size,
        seconds=seconds,
        token=token or uuid.uuid4(),
        exempt=True,
    )
    return jobs.submit(replace(spec, priority=tasks.BACKGROUND))


def remix_after(source: Video, prompt: str, token: uuid.UUID) -> Video:
    """A remix of a demo video by the local engine, queued to start once its source is made."""
    provider = Provider.default()
    recipe = parse_recipe(prompt, (source.width, source.height)).to_json()
    spec = jobs.JobSpec(
        kind=Video.Kind.REMIX,
        owner=source.owner,
        token=token,
        provider=provider,
        model=LOCAL_MODEL,
        size=remixed_size(recipe, source.size),
        seconds=source.seconds,
        prompt=prompt,
        source=source,
        source_id=source.pk,
        recipe=recipe,
        asked={"source": source.pk, "prompt": prompt, "provider": provider.pk},
        strategy=capabilities(provider).remix_strategy,
        priority=tasks.BACKGROUND,
    )
    return jobs.submit_after(source, spec)


def load() -> list[Video]:
    """The demo library's jobs, submitted together (or found again); nothing is made here."""
    made: list[Video] = []
    with transaction.atomic():
        for index, (prompt, size, seconds, source_index) in enumerate(DEMO):
            token = uuid.uuid5(DEMO_TOKENS, str(index))
            if source_index is None:
                made.append(make_video(prompt, size, seconds, token))
            else:
                made.append(remix_after(made[source_index], prompt, token))
    return made
