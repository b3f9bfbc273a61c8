from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from bench.bare.models import Row


def rows(request: HttpRequest) -> HttpResponse:
    """The newest 25 rows by the table's own index, rendered by a template."""
    latest = Row.objects.order_by("-created_at", "-id")[:25]
    return render(request, "bare/rows.html", {"rows": latest})


urlpatterns = [path("", rows)]
