import json
import math
import re
import time
import uuid
import zipfile
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Q

from remixer import images, jobs, lengths, packing
from remixer.models import LOCAL_MODEL, SECONDS, SIZES, CatalogEntry, Video, VideoQuerySet
from remixer.recipes import RecipeError, parse_recipe
from remixer.services import NotAllowed, remix_provider
from remixer.words import TITLE_MAX, size_label

PROMPT_MAX = 32000
MAX_VARIATIONS = 4
DEFAULT_MODEL = "sora-2"  # the Videos API's default, when a request names no model
# The Videos API's own models, undated or dated (sora-2-pro-2025-10-06): scripts written for
# it name them, so they are on offer without an administrator's alias.
SORA_MODEL = re.compile(r"(?P<name>sora-2(?:-pro)?)(?:-[0-9]{4}-[0-9]{2}-[0-9]{2})?", re.ASCII)
STALE_FORM = "This form is out of date: reload the page and submit it again."
DIGITS = re.compile("-?[0-9]{1,18}", re.ASCII)  # no "²", no "+", no spaces, no 5,000 digits
NOT_TEXT = (
    "The text is not valid: it holds bytes that are not UTF-8, "
    "an unpaired surrogate or a NUL character."
)
EARLIEST = 1104537600  # 2005-01-01: no video from elsewhere is older
SIDECAR_MAX = 1024**2


def strict_int(value: object, *, low: int, high: int) -> int | None:
    """An integer written in ASCII digits (or a JSON integer) from low to high; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and DIGITS.fullmatch(value):
        value = int(value)
    if isinstance(value, int) and low <= value <= high:
        return value
    return None


def is_text(value: str) -> bool:
    """True unless the string holds a NUL, an unpaired surrogate or U+FFFD, which is how
    Django decodes bytes that are not UTF-8."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in value and "\ufffd" not in value


def valid_text(value: str) -> None:
    if not is_text(value):
        raise forms.ValidationError(NOT_TEXT, code="invalid_text")


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
        return jobs.retry_spec(user=user, video=video, token=token, exempt=exempt)


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

    def specs(self, *, owner: Any) -> list[jobs.JobSpec]:
        """The form's job, or one job per variation asked for."""
        return jobs.variations(self.spec(owner=owner), self.cleaned_data["count"])


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


class RemixForm(SubmissionForm):
    """A remix (or an edit, its other name) of `source`: the local engine reads a recipe from
    the prompt, others take it."""

    use_local = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, source: Video, kind: str = Video.Kind.REMIX, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.source, self.kind = source, kind
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

    def spec(self, *, owner: Any, source: Video | None = None) -> jobs.JobSpec:
        """The job; `source` stands for the one the form was checked against when that
        one did not exist yet (the import of an uploaded file, on the same engine)."""
        return jobs.remix_spec(
            owner=owner,
            source=source or self.source,
            token=self.cleaned_data["form_token"],
            prompt=self.cleaned_data["prompt"],
            recipe=self.cleaned_data["recipe"],
            use_local=self.cleaned_data["use_local"],
            kind=self.kind,
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
                jobs.extended_total(self.source, seconds)
            except NotAllowed as error:
                self.add_error(None, str(error))
        return cleaned

    def spec(self, *, owner: Any, source: Video | None = None) -> jobs.JobSpec:
        """The job; `source` as for the remix form's."""
        return jobs.extend_spec(
            owner=owner,
            source=source or self.source,
            token=self.cleaned_data["form_token"],
            prompt=self.cleaned_data["prompt"],
            seconds=self.cleaned_data["seconds"],
        )


EXTEND_PREFIX = "extend"


class ImportForm(TokenForm):
    accepts_exports = True  # the Import page's; an upload to edit takes one MP4 only
    is_export = False  # a remixer export's ZIP, rather than one MP4
    video = forms.FileField(help_text="An MP4 file, or the ZIP of a remixer export.")
    sidecar = forms.FileField(
        required=False,
        help_text="Optional: the Video object as the API returned it (JSON), to keep its "
        "prompt, model, size, seconds and creation time.",
    )

    def clean_video(self) -> Any:
        upload = self.cleaned_data["video"]
        if upload.size > settings.REMIXER_MAX_IMPORT_BYTES:
            limit = settings.REMIXER_MAX_IMPORT_BYTES // 1024**2
            raise forms.ValidationError(f"The file is larger than {limit} MB.")
        head = upload.read(12)
        upload.seek(0)
        self.is_export = self.accepts_exports and head.startswith(b"PK\x03\x04")
        if self.is_export:
            check_export(upload)
        elif head[4:8] != b"ftyp":
            also = " or a remixer export" if self.accepts_exports else ""
            raise forms.ValidationError(f"The file is not an MP4 video{also}.")
        return upload

    def clean_sidecar(self) -> dict[str, Any] | None:
        upload = self.cleaned_data.get("sidecar")
        if not upload:
            return None
        if upload.size > SIDECAR_MAX:
            raise forms.ValidationError("The sidecar is larger than 1 MB.")
        return read_sidecar(upload.read())

    def spec(self, *, owner: Any) -> jobs.JobSpec:
        """Spools the upload to the storage: the request only streams, a worker checks."""
        return jobs.import_spec(
            owner=owner,
            token=self.cleaned_data["form_token"],
            upload=self.cleaned_data["video"],
            sidecar=self.cleaned_data["sidecar"],
        )


class VideoUploadForm(ImportForm):
    """One MP4 sent to be worked on (an edit's upload): imported first, never an export."""

    accepts_exports = False


def check_export(upload: Any) -> None:
    try:
        with zipfile.ZipFile(upload) as archive:
            packing.read_manifest(archive)
    except packing.UNREADABLE as error:
        raise forms.ValidationError(f"The ZIP cannot be read: {error}") from error
    except packing.ExportError as error:
        raise forms.ValidationError(str(error)) from error
    upload.seek(0)


def read_sidecar(raw: bytes) -> dict[str, Any]:
    """A sidecar's Video object, held to the new-video form's rules, or ValidationError."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise forms.ValidationError("The sidecar is not valid JSON.") from error
    if not isinstance(data, dict):
        raise forms.ValidationError("The sidecar must be one Video object (a JSON object).")
    if not storable(data):
        raise forms.ValidationError(
            "The sidecar holds text that is not valid UTF-8, an unpaired surrogate, a NUL "
            "character, or a number that is not finite."
        )
    form = SidecarForm(data)
    if not form.is_valid():
        field, errors = next(iter(form.errors.as_data().items()))
        said = " ".join(message for error in errors for message in error.messages)
        raise forms.ValidationError(f"The sidecar's {field}: {said}")
    return data | {name: form.cleaned_data[name] for name in form.fields if name in data}


def storable(value: object) -> bool:
    """Whether every string and number in a JSON value can be stored and sent as it is."""
    if isinstance(value, str):
        return is_text(value)
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, list):
        return all(storable(item) for item in value)
    if isinstance(value, dict):
        return all(storable(key) and storable(item) for key, item in value.items())
    return True


MAX_IMPORT_SECONDS = 24 * 3600


class JsonTextField(forms.CharField):
    """Text from a JSON document: a number or an object where text belongs is refused."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, strip=False, validators=[valid_text], **kwargs)

    def to_python(self, value: Any) -> str | None:
        if value is not None and not isinstance(value, str):
            raise forms.ValidationError("Give it as text.", code="invalid_type")
        return super().to_python(value)


class SidecarForm(forms.Form):
    """The fields of a sidecar remixer keeps, under the new-video form's rules."""

    id = JsonTextField(max_length=200)
    prompt = JsonTextField(max_length=PROMPT_MAX)
    model = JsonTextField(max_length=200)
    # A kept video may come from a server with other sizes and lengths than remixer offers.
    size = forms.RegexField(
        required=False,
        regex=r"^[1-9][0-9]{1,4}x[1-9][0-9]{1,4}$",
        error_messages={"invalid": "Give it as WIDTHxHEIGHT, e.g. 1920x1080."},
    )
    seconds = forms.Field(required=False)
    created_at = forms.Field(required=False)

    def clean_seconds(self) -> str | None:
        value = self.cleaned_data.get("seconds")
        if value is None or value == "":
            return None
        found = strict_int(value, low=1, high=MAX_IMPORT_SECONDS)
        if found is None:
            raise forms.ValidationError(
                f"Give it as whole seconds, from 1 to {MAX_IMPORT_SECONDS}."
            )
        return str(found)

    def clean_created_at(self) -> int | None:
        """Unix seconds, from 2005 to a day from now."""
        value = self.cleaned_data.get("created_at")
        if value is None:
            return None
        if isinstance(value, float) and math.isfinite(value) and value.is_integer():
            value = int(value)
        found = strict_int(value, low=EARLIEST, high=int(time.time()) + 86400)
        if found is None:
            raise forms.ValidationError(
                "Give it as Unix seconds (a whole number) from 2005 to today."
            )
        return found


class TitleForm(forms.Form):
    """A video's title, changed by its owner; left empty, the prompt names the video."""

    title = forms.CharField(
        required=False,
        max_length=TITLE_MAX,
        strip=True,
        validators=[valid_text],
        error_messages={"max_length": "A title has at most %(limit_value)d characters."},
    )


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        strip=True,
        validators=[valid_text],
        help_text="What the key is for, e.g. the script or machine that will use it.",
        error_messages={"required": "Name the key."},
    )
