import json
import uuid
from typing import Any

from django import forms
from django.conf import settings

from remixer import images, jobs
from remixer.models import LOCAL_MODEL, SECONDS, SIZES, CatalogEntry, Video, VideoQuerySet
from remixer.recipes import RecipeError, parse_recipe
from remixer.services import NotAllowed, remix_provider
from remixer.words import size_label

PROMPT_MAX = 32000
DEFAULT_MODEL = "sora-2"  # the Videos API's default, when a request names no model
STALE_FORM = "This form is out of date: reload the page and submit it again."


class LibraryFilter(forms.Form):
    """The library's search and filters, read from the query string."""

    q = forms.CharField(
        required=False,
        max_length=200,
        label="Search prompts",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Search prompts"}),
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
        if wanted.get("q"):
            videos = videos.filter(prompt__icontains=wanted["q"])
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
        return jobs.retry_spec(user=user, video=video, token=token, exempt=exempt)


class SubmissionForm(TokenForm):
    prompt = forms.CharField(
        max_length=PROMPT_MAX,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write a prompt.", "max_length": "The prompt is too long."},
    )


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
        return str(value) in self.catalog

    def default(self) -> str:
        """The Videos API's default model if some entry answers to it, else the local engine."""
        return DEFAULT_MODEL if DEFAULT_MODEL in self.catalog else LOCAL_MODEL


def describe_entry(entry: CatalogEntry) -> str:
    aliases = f" (also {', '.join(entry.alias_list)})" if entry.alias_list else ""
    return f"{entry.name}{aliases}"


class NewVideoForm(SubmissionForm):
    model = CatalogChoiceField(required=False)
    size = forms.ChoiceField(choices=[(s, size_label(s)) for s in SIZES], initial="1280x720")
    seconds = forms.ChoiceField(choices=[(s, f"{s} seconds") for s in SECONDS], initial="4")
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
                .order_by("-provider__kind", "provider__name", "name")  # the local engine first
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
        return jobs.create_spec(
            owner=owner,
            token=self.cleaned_data["form_token"],
            **{name: self.cleaned_data[name] for name in fields},
        )

    def clean_reference_image(self) -> Any:
        upload = self.cleaned_data.get("reference_image")
        if upload:
            images.check_reference(upload)
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        entry = self.model_field.catalog.get(cleaned.get("model", ""))
        if entry is not None:
            cleaned["entry"] = entry
            if cleaned.get("size") and cleaned["size"] not in entry.size_list:
                self.add_error("size", f"{entry.name} makes only {', '.join(entry.size_list)}.")
            if cleaned.get("seconds") and cleaned["seconds"] not in entry.seconds_list:
                self.add_error(
                    "seconds", f"{entry.name} makes only {', '.join(entry.seconds_list)} seconds."
                )
        return cleaned


class RemixForm(SubmissionForm):
    """A remix of `source`: the local engine reads a recipe from the prompt, others take it."""

    use_local = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, source: Video, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.source = source
        self.fields["prompt"].label = "What should change?"
        self.fields["prompt"].widget.attrs.update(
            rows=2, placeholder="black and white, slow motion"
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["recipe"] = None
        try:
            provider = remix_provider(self.source, use_local=bool(cleaned.get("use_local")))
        except NotAllowed as error:
            self.add_error(None, str(error))
            return cleaned
        if provider.is_local and (prompt := cleaned.get("prompt")):
            try:
                cleaned["recipe"] = parse_recipe(prompt).to_json()
            except RecipeError as error:
                self.add_error("prompt", str(error))
        return cleaned

    def spec(self, *, owner: Any) -> jobs.JobSpec:
        return jobs.remix_spec(
            owner=owner,
            source=self.source,
            token=self.cleaned_data["form_token"],
            prompt=self.cleaned_data["prompt"],
            recipe=self.cleaned_data["recipe"],
            use_local=self.cleaned_data["use_local"],
        )


class ImportForm(TokenForm):
    video = forms.FileField(help_text="An MP4 file.")
    sidecar = forms.FileField(
        required=False,
        help_text="Optional: the Video object as the API returned it (JSON), to keep its "
        "prompt, model, size, seconds and creation time.",
    )

    def clean_video(self) -> Any:
        upload = self.cleaned_data["video"]
        if upload.size > settings.REMIXER_MAX_IMPORT_BYTES:
            limit = settings.REMIXER_MAX_IMPORT_BYTES // 1024**2
            raise forms.ValidationError(f"The video is larger than {limit} MB.")
        head = upload.read(12)
        upload.seek(0)
        if head[4:8] != b"ftyp":
            raise forms.ValidationError("The file is not an MP4 video.")
        return upload

    def clean_sidecar(self) -> dict[str, Any] | None:
        upload = self.cleaned_data.get("sidecar")
        if not upload:
            return None
        if upload.size > 1024**2:
            raise forms.ValidationError("The sidecar is larger than 1 MB.")
        try:
            data = json.loads(upload.read().decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise forms.ValidationError("The sidecar is not valid JSON.") from error
        if not isinstance(data, dict):
            raise forms.ValidationError("The sidecar must be one Video object (a JSON object).")
        return data

    def spec(self, *, owner: Any) -> jobs.JobSpec:
        """Spools the upload to the job's folder: the request only streams, a worker checks."""
        return jobs.import_spec(
            owner=owner,
            token=self.cleaned_data["form_token"],
            upload=self.cleaned_data["video"],
            sidecar=self.cleaned_data["sidecar"],
        )


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        strip=True,
        help_text="What the key is for, e.g. the script or machine that will use it.",
        error_messages={"required": "Name the key."},
    )
