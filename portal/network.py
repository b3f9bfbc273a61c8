"""The client's address, as the login lockout and the rate limits must count it.

Behind a reverse proxy every request comes from the proxy's address: a lockout keyed on it locks
everyone out at once (five wrong passwords for ``admin`` from anywhere lock the real admin out).
With ``TRUSTED_PROXY_COUNT`` set to the number of proxies in front of the portal, the address is
read from ``X-Forwarded-For`` instead: each proxy appends the address it received the request
from, so the client is the entry that many places from the right. Entries further left were
written by the client itself and are never trusted. With no proxy (the default, 0), the header is
ignored altogether: anyone can send it.

Written here rather than taken from django-ipware: the rule is this one line of arithmetic, and
ipware's meaning of its proxy settings has changed between releases (axes calls it "left-most" by
default, which would trust the client's own entry).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    remote = str(request.META.get("REMOTE_ADDR", ""))
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies < 1:
        return remote
    forwarded = [
        entry.strip()
        for entry in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
        if entry.strip()
    ]
    if len(forwarded) < proxies:
        # Not through the configured chain of proxies: the connection's own address is all
        # there is to go by.
        return remote
    return forwarded[-proxies]
