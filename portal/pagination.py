from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PAGE_SIZE = 25


def paginate(request: HttpRequest, queryset: Any, *, per_page: int = PAGE_SIZE) -> Page[Any]:
    """The requested page; a malformed or out-of-range number gives the nearest real page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
