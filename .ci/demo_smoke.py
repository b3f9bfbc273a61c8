"""Logs into the server that `make demo` started, as a user of the README would.

Usage: python .ci/demo_smoke.py http://127.0.0.1:8000
"""

from __future__ import annotations

import http.cookiejar
import re
import sys
import time
import urllib.parse
import urllib.request

base = sys.argv[1].rstrip("/")
jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

deadline = time.monotonic() + 180
while True:
    try:
        with opener.open(f"{base}/healthz/", timeout=5) as response:
            print("healthz:", response.read().decode())
            break
    except OSError:
        if time.monotonic() > deadline:
            sys.exit("the demo server did not answer /healthz/ within 180 s")
        time.sleep(2)

with opener.open(f"{base}/accounts/login/", timeout=10) as response:
    page = response.read().decode()
token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
if token is None:
    sys.exit("no CSRF token on the login page")
form = urllib.parse.urlencode(
    {
        "csrfmiddlewaretoken": token.group(1),
        "username": "partner",
        "password": "demo-pass-2026",
    }
).encode()
# The URL is the one CI passes on the command line: http on 127.0.0.1.
request = urllib.request.Request(  # noqa: S310
    f"{base}/accounts/login/", data=form, headers={"Referer": f"{base}/accounts/login/"}
)
with opener.open(request, timeout=10) as response:
    landed = response.geturl()
    body = response.read().decode()
if "/partners/" not in landed or "Log out" not in body:
    sys.exit(f"logging in as the demo partner did not land on its organisation: {landed}")
print("logged in as the demo partner, landed on", landed)
