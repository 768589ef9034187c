"""Each person's keys for the /v1 API: made, listed and revoked."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from remixer.actions.keys import make_key, revoke_key
from remixer.forms.keys import ApiKeyForm
from remixer.forms.logins import client_address
from remixer.models.accounts import ApiKey


@never_cache
@require_http_methods(["GET", "POST"])
def api_keys(request: HttpRequest) -> HttpResponse:
    """The user's keys for the /v1 API; a new key's secret is shown in this answer only."""
    form = ApiKeyForm(request.POST or None)
    secret = ""
    if request.method == "POST" and form.is_valid():
        name, address = form.cleaned_data["name"], client_address(request)
        _, secret = make_key(user=request.user, name=name, address=address)
        form = ApiKeyForm()
    context = {
        "form": form,
        "secret": secret,
        "keys": ApiKey.of(request.user),
        "base_url": request.build_absolute_uri("/v1"),
    }
    return render(request, "keys/index.html", context, status=400 if form.errors else 200)


@require_POST
def api_key_revoke(request: HttpRequest, key_id: int) -> HttpResponse:
    key = get_object_or_404(ApiKey.of(request.user), pk=key_id)
    revoke_key(user=request.user, key=key, address=client_address(request))
    messages.success(request, f"Revoked {key.name}: scripts that use it are refused from now on.")
    return redirect("api_keys")
