"""The data-subject export lists a user's risks, reassessments and comments; erasure leaves the
risks they owned without an owner."""

from __future__ import annotations

from privacy import services as privacy
from privacy.documents import user_personal_data
from risks import services
from risks.models import Risk
from tests.risks.conftest import Register


def test_the_export_lists_owned_risks_reassessments_and_comments(register: Register) -> None:
    staff, partner = register.world.users["staff"], register.world.users["partner"]
    services.risk_reassess(
        actor=staff, risk=register.beta, likelihood=2, impact=2, note="Note by staff."
    )
    services.risk_comment(actor=partner, risk=register.alpha, text="Comment by the partner.")
    document = user_personal_data(user=staff)
    assert {row["id"] for row in document["risks_owned"]} == {
        register.alpha_unshared.pk,
        register.hidden.pk,
    }
    # By id and state: the risk's words are not the user's data.
    assert "title" not in document["risks_owned"][0]
    assert document["risk_reassessments"][0]["note"] == "Note by staff."
    assert document["risk_reassessments"][0]["likelihood"] == [4, 2]
    assert document["risk_comments"] == []
    theirs = user_personal_data(user=partner)
    assert [row["text"] for row in theirs["risk_comments"]] == ["Comment by the partner."]
    assert theirs["risks_owned"] == [] and theirs["risk_reassessments"] == []


def test_erasing_a_user_leaves_their_risks_without_an_owner(register: Register) -> None:
    officer = register.world.users["officer"]
    privacy.user_erase(actor=register.world.users["admin"], user=officer)
    risk = Risk.objects.get(pk=register.alpha.pk)
    assert risk.owner is None
    assert Risk.objects.get(pk=register.hidden.pk).owner == register.world.users["staff"]
