"""The catalogues are complete: every string of the portal in Swedish and Spanish."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "locale"


@pytest.mark.parametrize("language", ["sv", "es"])
def test_it_has_every_string_translated(language: str) -> None:
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    missing = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not missing, f"untranslated in {language}: {missing}"
    assert not fuzzy, f"fuzzy in {language}: {fuzzy}"


@pytest.mark.parametrize("language", ["sv", "es"])
def test_it_ships_a_compiled_catalogue_in_step_with_the_source(language: str) -> None:
    folder = LOCALE / language / "LC_MESSAGES"
    compiled = polib.mofile(str(folder / "django.mo"))
    source = polib.pofile(str(folder / "django.po"))
    assert {entry.msgid for entry in compiled} >= {entry.msgid for entry in source}


@pytest.mark.parametrize(
    ("language", "expected"),
    [("sv", "Logga in"), ("es", "Iniciar sesión"), ("en", "Log in")],
)
def test_it_serves_the_login_page_in_each_language(
    client: Client, db: None, language: str, expected: str
) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    assert expected in client.get(reverse("login")).content.decode()


def test_it_names_change_types_in_the_active_language(db: None) -> None:
    from progress.models import ChangeType

    change_type = ChangeType.objects.get(code="economic-self-reliance")
    with translation.override("es"):
        assert change_type.name == "Autonomía económica"
    with translation.override("sv"):
        assert str(change_type) == "Ekonomisk självständighet"


@pytest.mark.parametrize(
    ("language", "names"),
    [
        ("sv", {"PH": "Filippinerna", "PS": "Palestina", "BR": "Brasilien", "EG": "Egypten"}),
        ("es", {"PH": "Filipinas", "PS": "Palestina", "BR": "Brasil", "EG": "Egipto"}),
    ],
)
def test_it_names_countries_in_the_language_of_the_page(
    language: str, names: dict[str, str]
) -> None:
    from django_countries import countries

    with translation.override(language):
        assert {code: str(countries.name(code)) for code in names} == names
