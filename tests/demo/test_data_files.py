"""The demo's data files: read and checked before anything is written, with clear messages."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from demo import data_files
from demo.data_files import DemoDataError, demo_data
from partners.models import Partner


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the data files for a test to break; the real ones are read again after it."""
    copy = tmp_path / "data"
    shutil.copytree(data_files.DATA_DIR, copy)
    monkeypatch.setattr(data_files, "DATA_DIR", copy)
    demo_data.cache_clear()
    yield copy
    demo_data.cache_clear()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path.name}: the test needs updating"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_it_reads_the_demo_world_the_design_asks_for() -> None:
    data = demo_data()
    users = {user.username: user for user in data.logins.users}
    assert set(users) == {"admin", "staff", "officer", "partner", "partner2", "secret", "member"}
    assert {name for name, user in users.items() if user.totp} == {"admin", "staff"}
    assert data.logins.password == "demo-pass-2026"
    assert data.logins.totp_secret == "JBSWY3DPEHPK3PXP"
    confidential = [partner for partner in data.partners if partner.is_confidential]
    assert confidential and all(partner.projects for partner in confidential)
    secret_partner = users["secret"].partner
    assert secret_partner in {partner.name for partner in confidential}
    # Every kind of story is told in the portal's three languages, with its words filled in.
    for template in data.stories.templates:
        for language in ("en", "sv", "es"):
            assert template.text(language).title and template.text(language).narrative


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "organisations.toml",
            'kind = "women"',
            'kind = "womens"',
            r"organisations\.toml, partner 1 \('Frente de Mujeres Ixchel'\): kind = 'womens' "
            r"is not one of party, party_affiliated, union, women",
        ),
        (
            "organisations.toml",
            'country = "GT"',
            'country = "GT"\ncolour = "green"',
            r"partner 1 \('Frente de Mujeres Ixchel'\).*unexpected keyword argument 'colour'",
        ),
        (
            "organisations.toml",
            'program = "WY-01"',
            'program = "WY-09"',
            r"project 'gt-councils': no programme called 'WY-09'",
        ),
        (
            "networks.toml",
            'partners = ["Siyaphambili Women\'s Forum"',
            'partners = ["Kolektiv Duga", "Siyaphambili Women\'s Forum"',
            r"network 'Southern and East Africa network' lists a confidential partner",
        ),
        (
            "logins.toml",
            'partner = "Kolektiv Duga"',
            'partner = "Kolektiv Dugga"',
            r"login 'secret': no partner called 'Kolektiv Dugga'",
        ),
        (
            "stories.toml",
            'who_changed = "group"',
            'who_changed = "everyone"',
            r"stories\.toml, template 1: who_changed = 'everyone' is not one of",
        ),
        ("stories.toml", "[status_weights]", "[status_weights", r"demo/data/stories\.toml: "),
    ],
    ids=["choice", "unknown key", "reference", "confidential", "login", "template", "syntax"],
)
def test_a_mistake_in_a_data_file_is_reported_with_its_file_and_entry(
    data_dir: Path, file: str, old: str, new: str, message: str
) -> None:
    _edit(data_dir / file, old, new)
    with pytest.raises(DemoDataError, match=message):
        demo_data()


def test_the_command_reports_a_broken_data_file_before_writing_anything(
    db: None, settings: object, data_dir: Path
) -> None:
    settings.DEBUG = True  # type: ignore[attr-defined]
    _edit(data_dir / "programmes.toml", 'responsible = "staff"', 'responsible = "nobody"')
    with pytest.raises(CommandError, match="no login called 'nobody'"):
        call_command("seed_demo", stories=5, verbosity=0)
    assert not Partner.objects.exists()


def test_every_module_of_the_demo_app_stays_small() -> None:
    # The measure of a readable demo: a short command, small builders, data in files.
    app = Path(data_files.__file__).resolve().parent
    sizes = {
        path.relative_to(app).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in app.rglob("*.py")
    }
    assert sizes["management/commands/seed_demo.py"] < 150
    assert max(sizes.values()) < 400, sizes
