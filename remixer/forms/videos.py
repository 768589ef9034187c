"""The one set of forms every input goes through: the pages, /v1 and the commands."""

import re
import sys
import uuid
from functools import cached_property
from typing import Any

from django import forms
from django.db.models import Q
from django.http import QueryDict

from remixer.actions import jobs, references, specs
from remixer.actions.errors import NotAllowed
from remixer.actions.videos import remix_provider
from remixer.engine.prompt import beyond, suggest
from remixer.lib.text import strict_int
from remixer.lib.words import TITLE_MAX, size_label
from remixer.models import LOCAL_MODEL, SECONDS, SIZES, CatalogEntry, Video, VideoQuerySet, lengths
from remixer.models.recipes import UNDERSTOOD, RecipeError, parse_recipe
from remixer.models.videos import PROMPT_MAX, valid_text
from remixer.providers.kinds import built_in_first, capabilities, remixing_workflows

MAX_VARIATIONS = 4
DEFAULT_MODEL = "sora-2"  # the Videos API's default, when a request names no model
# The Videos API's own models, undated or dated (sora-2-pro-2025-10-06): scripts written for
# it name them, so they are on offer without an administrator's alias.
SORA_MODEL = re.compile(r"(?P<name>sora-2(?:-pro)?)(?:-[0-9]{4}-[0-9]{2}-[0-9]{2})?", re.ASCII)
STALE_FORM = "This form is out of date: reload the page and submit it again."


def page_number(query: QueryDict) -> int | None:
    """`?page=` in ASCII digits; anything else is the first page (Paginator.get_page)."""
    return strict_int(query.get("page"), low=1, high=sys.maxsize)


class LibraryFilter(forms.Form):
    """The library's search and filters, read from the query string."""

    q = forms.CharField(
        required=False,
        max_length=200,
        validators=[valid_text],
        label="Search titles and prompts",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Titles and prompts"}),
        error_messages={"max_length": "Search for at most %(limit_value)d characters."},
    )
    status = forms.ChoiceField(
        required=False,
        choices=[("", "Any status"), *Video.Status.choices],
        error_messages={"invalid_choice": "There is no status called %(value)s."},
    )
    mine = forms.BooleanField(required=False, label="Only mine")

    def apply(self, videos: VideoQuerySet, user: Any) -> VideoQuerySet:
        """The videos that match; a value that is not valid is named and filters nothing."""
        self.is_valid()
        wanted = self.cleaned_data
        if words := wanted.get("q"):
            videos = videos.filter(Q(prompt__icontains=words) | Q(title__icontains=words))
        if wanted.get("status"):
            videos = videos.filter(status=wanted["status"])
        if wanted.get("mine"):
            videos = videos.filter(owner=user)
        return videos

    def is_filtering(self) -> bool:
        return any(self.cleaned_data.get(name) for name in self.fields)


class PickerFilter(LibraryFilter):
    status = None  # type: ignore[assignment]  # the picker lists completed videos only


class TokenForm(forms.Form):
    """A form that starts a job: its one-time token makes a resubmission find the first job."""

    form_token = forms.UUIDField(
        widget=forms.HiddenInput,
        initial=uuid.uuid4,
        error_messages={
            "required": STALE_FORM,
            "invalid": STALE_FORM,
        },
    )


class RetryForm(TokenForm):
    def spec(self, *, user: Any, video: Video, exempt: bool = False) -> jobs.JobSpec:
        token = self.cleaned_data["form_token"]
        return specs.retry_spec(user=user, video=video, token=token, exempt=exempt)


class SubmissionForm(TokenForm):
    prompt = forms.CharField(
        max_length=PROMPT_MAX,
        strip=True,
        validators=[valid_text],
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Write a prompt.",
            "max_length": "The prompt is too long: write at most %(limit_value)d characters "
            "(it has %(show_value)d).",
        },
    )
    count = forms.TypedChoiceField(
        required=False,
        label="How many",
        choices=[(1, "1 video"), *((n, f"{n} variations") for n in range(2, MAX_VARIATIONS + 1))],
        coerce=int,
        empty_value=1,  # type: ignore[arg-type]  # no count asked for: one video
        initial=1,
        help_text="Variations are separate jobs of the same prompt, shown together.",
        error_messages={"invalid_choice": f"Ask for 1 to {MAX_VARIATIONS} videos."},
    )

    def spec(self, *, owner: Any) -> jobs.JobSpec:
        raise NotImplementedError

    # Why the variations asked for are one video, once `specs` has made them; for the answer.
    notice: str | None = None

    def specs(self, *, owner: Any) -> list[jobs.JobSpec]:
        """The form's job, or one job per variation asked for."""
        spec, count = self.spec(owner=owner), self.cleaned_data["count"]
        self.notice = jobs.one_video_reason(spec, count)
        return jobs.variations(spec, count)


class CatalogChoiceField(forms.ChoiceField):
    """A model on offer, by its own name or by an alias; the select lists the names only."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.catalog: dict[str, CatalogEntry] = {}

    def offer(self, entries: list[CatalogEntry]) -> None:
        by_name = {entry.name: entry for entry in entries}
        self.catalog = {alias: e for e in entries for alias in e.alias_list} | by_name
        self.choices = [(name, f"{name} · {e.provider.name}") for name, e in by_name.items()]
        offered = "; ".join(describe_entry(entry) for entry in by_name.values())
        self.error_messages["invalid_choice"] = (
            "Select a valid choice. %(value)s is not a model on offer; the models are: "
            + offered.replace("%", "%%")  # the message is formatted with the value
            + "."
        )

    def valid_value(self, value: Any) -> bool:
        return self.entry_for(str(value)) is not None

    def entry_for(self, name: str) -> CatalogEntry | None:
        """The entry a name asks for: its own name or alias first; a Sora model's name
        (dated or not) else the entry aliased to the undated name, else the local engine."""
        if name in self.catalog:
            return self.catalog[name]
        if sora := SORA_MODEL.fullmatch(name):
            return self.catalog.get(sora["name"]) or self.catalog.get(LOCAL_MODEL)
        return None

    def default(self) -> str:
        """The Videos API's default model if some entry answers to it, else the local engine."""
        return DEFAULT_MODEL if DEFAULT_MODEL in self.catalog else LOCAL_MODEL


def describe_entry(entry: CatalogEntry) -> str:
    aliases = f" (also {', '.join(entry.alias_list)})" if entry.alias_list else ""
    return f"{entry.name}{aliases}"


def offered(kind: str, values: tuple[str, ...]) -> dict[str, str]:
    """A choice's refusal that names the values on offer."""
    listed = f"{', '.join(values[:-1])} or {values[-1]}"
    return {"invalid_choice": f"Select a valid choice. %(value)s is not {kind}: {listed}."}


class NewVideoForm(SubmissionForm):
    field_order = ["prompt", "model", "size", "seconds", "reference_image", "count"]
    model = CatalogChoiceField(required=False)
    size = forms.ChoiceField(
        choices=[(s, size_label(s)) for s in SIZES],
        initial="1280x720",
        error_messages=offered("a size on offer", SIZES),
    )
    seconds = forms.ChoiceField(
        choices=[(s, f"{s} seconds") for s in SECONDS],
        initial="4",
        error_messages=offered("a length on offer, in seconds", SECONDS),
    )
    reference_image = forms.FileField(
        required=False,
        help_text="Optional. JPEG, PNG or WebP; it becomes the first frame and is animated.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.model_field.offer(
            list(
                CatalogEntry.objects.filter(provider__enabled=True)
                .select_related("provider")
                .order_by(built_in_first(), "provider__name", "name")
            )
        )

    @property
    def model_field(self) -> CatalogChoiceField:
        field = self.fields["model"]
        assert isinstance(field, CatalogChoiceField)
        return field

    def clean_model(self) -> str:
        name = self.cleaned_data.get("model") or self.model_field.default()
        if not self.model_field.valid_value(name):
            raise forms.ValidationError(
                self.model_field.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": name},
            )
        return str(name)

    def spec(self, *, owner: Any) -> jobs.JobSpec:
        fields = ("entry", "prompt", "size", "seconds", "reference_image")
        return specs.create_spec(
            owner=owner,
            token=self.cleaned_data["form_token"],
            **{name: self.cleaned_data[name] for name in fields},
        )

    def clean_reference_image(self) -> Any:
        upload = self.cleaned_data.get("reference_image")
        if upload:
            references.check_reference(upload)
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        entry = self.model_field.entry_for(cleaned.get("model", ""))
        if entry is not None:
            cleaned["entry"] = entry
            if cleaned.get("size") and cleaned["size"] not in entry.size_list:
                self.add_error("size", f"{entry.name} makes only {', '.join(entry.size_list)}.")
            if cleaned.get("seconds") and cleaned["seconds"] not in entry.seconds_list:
                self.add_error(
                    "seconds", f"{entry.name} makes only {', '.join(entry.seconds_list)} seconds."
                )
        return cleaned


def briefly(message: str) -> str:
    """A refusal of the local engine's as the pages say it, beside their list of what it
    understands: one sentence, and at most one thing to try."""
    said = message.removesuffix(f" {UNDERSTOOD}")
    if said != message:  # the words it could not follow, and the engine's hint if it has one
        hinted = " Try: " in said or said.endswith(suggest.CAPTION_ADVICE)
        return said if hinted else f"{said} Try: {suggest.EXAMPLE}."
    for sentence in beyond.SENTENCES:  # asks beyond the engine: the first one said
        if message.startswith(sentence):
            instead = beyond.TRY_INSTEAD.get(sentence)
            return f"{sentence} Try: {instead}." if instead else sentence
    return message


class RemixForm(SubmissionForm):
    """A remix (or an edit, its other name) of `source`: the local engine reads a recipe from
    the prompt, others take it. A prompt it cannot follow is refused: in full for /v1, and
    `refusal` says it briefly for the pages."""

    refusal = ""

    use_local = forms.BooleanField(required=False, widget=forms.HiddenInput)
    workflow = forms.CharField(
        required=False, max_length=200, label="Or remix through a ComfyUI workflow"
    )

    def __init__(
        self, *args: Any, source: Video, kind: str = Video.Kind.REMIX, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.source, self.kind = source, kind
        self.fields["prompt"].label = "What should change?"
        self.fields["prompt"].widget.attrs.update(
            rows=2, placeholder="black and white, slow motion"
        )

    @cached_property
    def workflow_choices(self) -> list[tuple[str, str]]:
        """The ComfyUI workflows any video may be remixed through (read when shown)."""
        return remixing_workflows()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["recipe"] = None
        try:
            use_local, workflow = bool(cleaned.get("use_local")), cleaned.get("workflow") or ""
            provider = remix_provider(self.source, use_local=use_local, workflow=workflow)
        except NotAllowed as error:
            self.add_error(None, str(error))
            return cleaned
        if capabilities(provider).follows_recipe and (prompt := cleaned.get("prompt")):
            try:
                source = (self.source.width, self.source.height)
                cleaned["recipe"] = parse_recipe(prompt, source).to_json()
            except RecipeError as error:
                self.add_error("prompt", str(error))
                self.refusal = briefly(str(error))
        return cleaned

    def spec(self, *, owner: Any, source: Video | None = None) -> jobs.JobSpec:
        """The job; `source` stands for the one the form was checked against when that
        one did not exist yet (the import of an uploaded file, on the same engine)."""
        return specs.remix_spec(
            owner=owner,
            source=source or self.source,
            token=self.cleaned_data["form_token"],
            prompt=self.cleaned_data["prompt"],
            recipe=self.cleaned_data["recipe"],
            use_local=self.cleaned_data["use_local"],
            kind=self.kind,
            workflow=self.cleaned_data.get("workflow") or "",
        )


class ExtendForm(SubmissionForm):
    """A longer `source`: a new segment after its last frame, following the prompt.

    On the video page it sits beside the remix form, so its fields there carry a prefix."""

    seconds = forms.ChoiceField(
        label="Seconds to add",
        choices=[(s, f"{s} seconds") for s in lengths.EXTEND_SECONDS],
        initial="8",
        error_messages={
            "required": f"Choose how many seconds to add: {', '.join(lengths.EXTEND_SECONDS)}.",
            "invalid_choice": f"An extension adds {', '.join(lengths.EXTEND_SECONDS[:-1])} or "
            f"{lengths.EXTEND_SECONDS[-1]} seconds, not %(value)s.",
        },
    )

    def __init__(
        self, *args: Any, source: Video, kind: str = Video.Kind.EXTENSION, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.source, self.kind = source, kind
        self.fields["prompt"].label = "What happens next?"
        self.fields["prompt"].widget.attrs.update(rows=2, placeholder="the camera rises over")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if seconds := cleaned.get("seconds"):
            try:
                specs.extended_total(self.source, seconds)
            except NotAllowed as error:
                self.add_error(None, str(error))
        return cleaned

    def spec(self, *, owner: Any, source: Video | None = None) -> jobs.JobSpec:
        """The job; `source` as for the remix form's."""
        return specs.extend_spec(
            owner=owner,
            source=source or self.source,
            token=self.cleaned_data["form_token"],
            prompt=self.cleaned_data["prompt"],
            seconds=self.cleaned_data["seconds"],
        )


EXTEND_PREFIX = "extend"


class TitleForm(forms.Form):
    """A video's title, changed by its owner; left empty, the prompt names the video."""

    title = forms.CharField(
        required=False,
        max_length=TITLE_MAX,
        strip=True,
        validators=[valid_text],
        error_messages={"max_length": "A title has at most %(limit_value)d characters."},
    )
