"""What a page offers a person: a viewer sees no control for making or changing videos."""

from typing import Any

from django import template

from remixer.models.accounts import can_make as may_make

register = template.Library()


@register.filter
def can_make(user: Any) -> bool:
    """`{% if user|can_make %}`: the person may make, change and delete videos."""
    return may_make(user)
