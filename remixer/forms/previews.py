"""The live preview beside a prompt, for every form that takes one: what the local engine will
do with the words as they are typed. A remix's recipe and its still (or, when nothing in the
prompt can be followed, its refusal in brief), what an extension follows and a still of where
it ends, what a new video's painter draws; other providers take the prompt as it is written.
A form drawn with a prompt in it (a prefilled link, a refused submission) shows its preview
from the start."""

from typing import Any

from django import forms

from remixer.engine.render.extend import FOLLOWED_WORDS
from remixer.engine.render.painter import drawing
from remixer.forms.videos import EXTEND_PREFIX, NewVideoForm, RemixForm, SubmissionForm, briefly
from remixer.models import Video
from remixer.models.videos import PROMPT_MAX
from remixer.providers.kinds import capabilities
from remixer.worker import stills

REMIX, EXTENSION, CREATE = Video.Kind.REMIX, Video.Kind.EXTENSION, Video.Kind.CREATE
EXTENSION_WORDS = FOLLOWED_WORDS  # what the Extend form says an extension follows
WITH_AN_IMAGE = (
    "With an image added, the engine animates the image with a slow zoom instead, and the "
    "words choose nothing."
)


class PreviewForm(forms.Form):
    """What a preview is asked for: the kind of job and its prompt, with the video it starts
    from (a remix or an extension) or the model chosen (a new video)."""

    kind = forms.ChoiceField(required=False, choices=[(k, k) for k in (REMIX, EXTENSION, CREATE)])
    prompt = forms.CharField(required=False, strip=False)
    video = forms.CharField(required=False, max_length=100)
    model = forms.CharField(required=False, max_length=200)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["kind"] = cleaned.get("kind") or REMIX
        if cleaned["kind"] == EXTENSION and not cleaned.get("prompt"):
            cleaned["prompt"] = str(self.data.get(f"{EXTEND_PREFIX}-prompt", ""))
        return cleaned

    def context(self) -> dict[str, object]:
        """What the preview partial shows (an empty preview for a request that is not valid)."""
        if not self.is_valid():
            return {}
        wanted = self.cleaned_data
        found = preview(
            wanted["kind"], wanted["prompt"], video=wanted["video"], model=wanted["model"]
        )
        return {"kind": wanted["kind"], "preview": found}


def preview(kind: str, prompt: str, *, video: str = "", model: str = "") -> dict[str, object]:
    """What the engine will do with `prompt` in a form of `kind`, for the preview partial."""
    if kind == CREATE:
        return drawn(prompt, model)
    shown = stills.recipe_context(prompt, video, extension=kind == EXTENSION)
    if kind == REMIX and "recipe_error" in shown:  # nothing to follow: a remix is refused
        return {"refused": briefly(str(shown.pop("recipe_error")))} | shown
    return shown


def form_preview(form: SubmissionForm, kind: str, video: str = "") -> dict[str, object]:
    """The preview a form is drawn with: a remix's refusal once it is refused, else what the
    prompt already in the form will do."""
    if isinstance(form, RemixForm) and form.refusal:
        return {"refused": form.refusal}
    prompt = str(form["prompt"].value() or "")
    model = str(form["model"].value() or "") if "model" in form.fields else ""
    return preview(kind, prompt, video=video, model=model)


def drawn(prompt: str, model: str) -> dict[str, object]:
    """What the painter will draw from a new video's prompt, if the model is the engine's."""
    if not prompt.strip():
        return {}
    field = NewVideoForm().model_field
    entry = field.entry_for(model or field.default())
    if entry is None:
        return {}
    if not capabilities(entry.provider).follows_recipe:
        name = entry.provider.name
        return {
            "sent_as_written": f"The prompt is sent to {name} as written: it decides what to draw."
        }
    picture = drawing(prompt[:PROMPT_MAX])
    return {"steps": list(picture.lines), "notes": [*picture.notes(), WITH_AN_IMAGE]}
