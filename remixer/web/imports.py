"""The Import page: one MP4 becomes an import job, a remixer export's ZIP one job a video."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.views.decorators.http import require_http_methods

from remixer.actions import imports, jobs
from remixer.actions.errors import NotAllowed
from remixer.forms.imports import ImportForm


@require_http_methods(["GET", "POST"])
def video_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and form.is_export:
        return export_imported(request, form)
    if request.method == "POST" and form.is_valid():
        try:
            video = jobs.submit(form.spec(owner=request.user))
        except NotAllowed as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Uploaded: remixer is checking it frame by frame.")
            return redirect(video)
    status = 400 if request.method == "POST" else 200
    return render(request, "imports/index.html", {"form": form}, status=status)


def export_imported(request: HttpRequest, form: ImportForm) -> HttpResponse:
    """Each video of an export becomes an import job; those that could not are named."""
    outcomes = imports.import_export(
        form.cleaned_data["video"],
        importer=request.user,
        token=form.cleaned_data["form_token"],
        operator=request.user.is_staff,
    )
    started = sum(1 for outcome in outcomes if outcome.video is not None)
    messages.success(
        request,
        f"Importing {started} video{pluralize(started)} from the export: "
        "remixer is checking each one frame by frame.",
    )
    for outcome in outcomes:
        if outcome.problem:
            messages.error(request, f"{outcome.old_id} was not imported: {outcome.problem}")
    return redirect("library")
