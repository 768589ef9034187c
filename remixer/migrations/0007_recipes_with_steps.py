"""Recipes of the first local engine ({"effects": [...], "caption": ...}) become today's
structured recipes: steps with parameters, a placed caption, and the sound kept."""

from typing import Any

from django.db import migrations

STEPS: dict[str, tuple[str, dict[str, Any]]] = {
    "reverse": ("reverse", {}),
    "slow_motion": ("speed", {"factor": 0.5, "then": "loop"}),
    "speed_up": ("speed", {"factor": 2.0, "then": "loop"}),
    "mirror": ("mirror", {}),
    "zoom_in": ("push_in", {"factor": 1.3}),
    "black_and_white": ("grayscale", {}),
    "sepia": ("sepia", {"strength": 1.0}),
    "invert": ("invert", {}),
    "neon": ("neon", {}),
    "blur": ("blur", {"strength": 0.5}),
    "vignette": ("vignette", {"strength": 0.5}),
}


def upgraded(recipe: dict[str, Any]) -> dict[str, Any]:
    effects = [e for e in recipe.get("effects") or [] if e in STEPS]
    caption = recipe.get("caption")
    return {
        "version": 2,
        "steps": [{"step": STEPS[e][0], "params": dict(STEPS[e][1])} for e in effects],
        "caption": {"text": caption, "position": "bottom"} if isinstance(caption, str) else None,
        "sound": True,
        "unused": [],
        "excluded": [],
    }


def forwards(apps: Any, schema_editor: Any) -> None:
    Video = apps.get_model("remixer", "Video")
    for video in Video.objects.filter(recipe__isnull=False).only("pk", "recipe").iterator():
        if isinstance(video.recipe, dict) and "effects" in video.recipe:
            Video.objects.filter(pk=video.pk).update(recipe=upgraded(video.recipe))


class Migration(migrations.Migration):
    dependencies = [("remixer", "0006_job_kinds_and_per_owner_form_tokens")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
