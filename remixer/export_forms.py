"""The inputs of exports: which videos to export, and what an export's sidecar may say."""

from datetime import UTC, datetime
from typing import Any

from django import forms

from remixer.exports import Export
from remixer.import_forms import EARLIEST, JsonTextField, latest_time
from remixer.models import VIDEO_ID_PATTERN, Video
from remixer.packing import exportable
from remixer.recipes import RecipeError, stored_recipe

MAX_PICKED = 10000


class VideoIdsField(forms.MultipleChoiceField):
    """Ids of videos, checked against the database by the form, not listed as choices."""

    def valid_value(self, value: Any) -> bool:
        return bool(VIDEO_ID_PATTERN.fullmatch(str(value)))


class ExportForm(forms.Form):
    """What to export: the videos ticked, everything the user owns, or (staff) everything."""

    scope = forms.ChoiceField(
        choices=Export.Scope.choices,
        error_messages={"invalid_choice": "Choose what to export."},
    )
    v = VideoIdsField(
        required=False,
        error_messages={"invalid_choice": "%(value)s is not a video id."},
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        scope, picked = cleaned.get("scope"), cleaned.get("v") or []
        if scope == Export.Scope.ALL and not self.user.is_staff:
            raise forms.ValidationError("Only staff may export everything.")
        if len(picked) > MAX_PICKED:
            raise forms.ValidationError(f"Tick at most {MAX_PICKED} videos.")
        videos = exportable(Video.objects.all())
        if scope == Export.Scope.SELECTED:
            if not picked:
                raise forms.ValidationError("Tick the videos to export first.")
            videos = videos.filter(pk__in=picked)
        elif scope == Export.Scope.MINE:
            videos = videos.filter(owner=self.user)
        if scope and not videos.exists():
            raise forms.ValidationError("There is no finished video to export there.")
        cleaned["video_ids"] = sorted(picked) if scope == Export.Scope.SELECTED else []
        return cleaned


class ExtrasForm(forms.Form):
    """The "remixer" part of an export's sidecar, under the rules of the forms that made it."""

    title = JsonTextField(max_length=200)
    kind = forms.ChoiceField(required=False, choices=Video.Kind.choices)
    strategy = forms.ChoiceField(required=False, choices=Video.Strategy.choices)
    parent = forms.RegexField(required=False, regex=f"^{VIDEO_ID_PATTERN.pattern}$", strip=False)
    owner = JsonTextField(max_length=150)
    original_owner = JsonTextField(max_length=150)
    created_at = forms.DateTimeField(required=False)
    file_sha256 = forms.RegexField(required=False, regex="^[0-9a-f]{64}$", strip=False)
    recipe = forms.Field(required=False)

    def clean_created_at(self) -> datetime | None:
        """From 2005 to a day from now, as a sidecar's Unix seconds may be."""
        moment: datetime | None = self.cleaned_data.get("created_at")
        if moment is None:
            return None
        if not EARLIEST <= moment.timestamp() <= latest_time():
            raise forms.ValidationError("Give it as a time from 2005 to today.")
        return moment.astimezone(UTC)

    def clean_recipe(self) -> dict[str, Any] | None:
        recipe = self.cleaned_data.get("recipe")
        if recipe in (None, ""):
            return None
        if not isinstance(recipe, dict):
            raise forms.ValidationError("Give it as a JSON object.")
        try:
            stored_recipe(recipe)  # one the engine can follow, as a remix's was
        except RecipeError as error:
            raise forms.ValidationError(str(error)) from error
        return recipe


def read_extras(sidecar: dict[str, Any]) -> dict[str, Any]:
    """The extras of an export's sidecar, checked; ValidationError says what is wrong."""
    extras = sidecar.get("remixer")
    if not isinstance(extras, dict):
        raise forms.ValidationError('The sidecar has no "remixer" part: it is not from an export.')
    form = ExtrasForm({name: value for name, value in extras.items() if value is not None})
    if not form.is_valid():
        field, errors = next(iter(form.errors.as_data().items()))
        said = " ".join(message for error in errors for message in error.messages)
        raise forms.ValidationError(f"The sidecar's remixer.{field}: {said}")
    return form.cleaned_data
