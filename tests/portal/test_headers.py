"""Security headers on every response, logged in or not."""

from __future__ import annotations

import gzip
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from conftest import World


@pytest.mark.parametrize("url", ["/accounts/login/", "/healthz/", "/partners/", "/nowhere/"])
def test_it_sends_a_strict_content_security_policy(
    world: World, client_as: Callable[[str], Client], url: str
) -> None:
    response = client_as("officer").get(url)
    policy = response["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ):
        assert directive in policy
    assert "unsafe-inline" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_it_has_no_inline_script_on_its_pages(
    world: World, client_as: Callable[[str], Client]
) -> None:
    for url in (reverse("login"), reverse("dashboard"), reverse("partner-list")):
        body = client_as("officer").get(url).content.decode()
        assert "<script>" not in body and "onclick=" not in body and "style=" not in body


def test_it_compresses_pages_with_the_breach_padding(
    world: World, client_as: Callable[[str], Client]
) -> None:
    response = client_as("officer").get("/stories/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    body = response.content
    assert gzip.decompress(body).lstrip().startswith(b"<!doctype html>")
    # Django's GZipMiddleware (4.2+) writes a file name of random length into the gzip header
    # (flag FNAME), so that the compressed size says less about what the page holds (BREACH).
    assert body[3] & 0x08
    # Without gzip in the request, the page goes as it is.
    plain = client_as("officer").get("/stories/")
    assert not plain.has_header("Content-Encoding")
