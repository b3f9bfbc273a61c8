"""The embedded default (SQLite) serves parallel submissions without "database is locked".

Found in the hostile review (issue #9): ten parallel submissions to one link gave nine 500s on
``make demo``. The test runs the portal as the demo does, in its own process on a SQLite file
(the test database of pytest is in memory and locks differently), and sends ten submissions to
one link at the same moment.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PARALLEL = 10
CAP = 5

SETUP = """
import json
from django.contrib.auth import get_user_model
from progress import links
from progress.models import ChangeType, TargetGroup
from tests import factories
staff = get_user_model().objects.create_user("staff-setup", is_cleared=True)
partner = factories.PartnerFactory.create()
link = links.link_create(
    actor=staff, partner=partner, project=None, label="parallel", days=7, max_uses=CAP
)
print(json.dumps({
    "token": link.token,
    "change_type": ChangeType.objects.get(code="participation-decision-making").pk,
    "target_group": TargetGroup.objects.get(code="women").pk,
}))
""".replace("CAP", str(CAP))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _submit(base: str, path: str, setup: dict[str, object], barrier: threading.Barrier) -> int:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(base + path, timeout=30) as response:
        page = response.read().decode()
    fields = dict(re.findall(r'name="(csrfmiddlewaretoken|form_token)" value="([^"]+)"', page))
    data = urllib.parse.urlencode(
        {
            **fields,
            "title": "Parallel story",
            "narrative": "Told at the same moment as nine others.",
            "language": "en",
            "event_date": "2026-03-14",
            "change_types": setup["change_type"],
            "who_changed": "group",
            "target_groups": setup["target_group"],
            "direction": "positive",
            "significance": "3",
            "contribution": "some",
            "consent_store": "on",
        }
    ).encode()
    request = urllib.request.Request(  # noqa: S310 (http on 127.0.0.1, the test's own server)
        base + path, data=data, headers={"Referer": base + path}
    )
    barrier.wait(timeout=60)
    try:
        with opener.open(request, timeout=60) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_ten_parallel_submissions_to_one_link_get_no_server_error(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "REDIS_URL": "",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    # Our own interpreter and fixed arguments, as in test_deployment.
    subprocess.run([*manage, "migrate", "-v0"], env=env, cwd=ROOT, check=True)  # noqa: S603
    created = subprocess.run(  # noqa: S603
        [*manage, "shell", "-v0", "-c", SETUP],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    setup = json.loads(created.stdout.strip().splitlines()[-1])
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603
        [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "/healthz/", timeout=2).close()  # noqa: S310
                break
            except OSError:
                time.sleep(0.5)
        barrier = threading.Barrier(PARALLEL)
        statuses: list[int] = []
        threads = [
            threading.Thread(
                target=lambda: statuses.append(
                    _submit(base, f"/s/{setup['token']}/", setup, barrier)
                )
            )
            for _ in range(PARALLEL)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        server.terminate()
        _out, errors = server.communicate(timeout=30)
    counts = {status: statuses.count(status) for status in sorted(set(statuses))}
    print(f"sqlite: {PARALLEL} parallel submissions to a link of {CAP}: {counts}")
    assert len(statuses) == PARALLEL
    assert "database is locked" not in errors
    assert all(status < 500 for status in statuses), counts
    # The cap holds: as many thank-you pages as the link takes, the others told it is closed.
    assert counts == {200: CAP, 410: PARALLEL - CAP}
