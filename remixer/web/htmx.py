"""The request type of a view that reads htmx's headers (django-htmx's middleware adds them)."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails
