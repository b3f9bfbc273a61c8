"""The browser walk's plans (tests/e2e/walk.py) cover every page the portal has.

Like the URL matrix, the resolver is walked: a URL pattern outside the Django admin that is
neither in a role's plan nor listed below with a reason fails here, so a new page cannot be
added without the browser checks meeting it. (No browser needed; it sits beside the walk.)
"""

from __future__ import annotations

from tests.e2e.walk import FULL_WALK, PLANS, plan
from tests.security.test_url_matrix import _portal_routes

# Patterns that render no page a person reads, or that the demo data cannot reach.
NOT_WALKED = {
    "healthz": "JSON for the load balancer",
    "set_language": "a POST that redirects (its form is on every page)",
    "logout": "a POST that redirects (its button is on every page)",
    "login-otp-setup": "only for an account without an authenticator; the demo has none",
    "iati-export": "an XML file",
    "story-export": "a CSV or XLSX file",
    "activity-export": "a CSV or XLSX file",
    "report-figures-export": "a CSV or XLSX file",
    "program-results-export": "a CSV or XLSX file",
    "project-results-export": "a CSV or XLSX file",
    "report-rebuild-status": "JSON for the progress bar",
    "story-review": "a POST that redirects to the story",
    "story-comment": "a POST that redirects to the story",
    "story-attachment": "a file; the demo stories have no attachments",
    "assessment-start": "a POST that redirects to the form (the walk starts one: start_assessment)",
    "assessment-comment": "a POST that redirects to the assessment (its form is on that page)",
    "dialogue-comment": "a POST that redirects to the dialogue",
    "assessment-action": "a POST that redirects to the round",
    "dialogue-risk-link": "a POST that redirects to the dialogue (its form is on that page)",
    "dialogue-confirm": "a POST that redirects to the dialogue",
    "action-status": "a POST that redirects to the dialogue",
    "risk-status": "a POST that redirects to the risk",
    "risk-share": "a POST that redirects to the risk",
    "result-report-review": "a POST that redirects to the report (its form is on that page)",
    "result-evidence": "a file; the demo reports cite stories but attach no documents",
    "calendar-subscription": "a POST that redirects to the calendar (its form is on that page)",
    "calendar-feed": "an iCalendar file, for calendar programs",
    "network-request-decide": "a POST that redirects to the requests (its form is on that page)",
    "contribution-download": "a CSV or XLSX file",
    "newsletter-send": "a POST that redirects to the newsletter (its form is on that page)",
    "mail-unsubscribe": "its address is signed for one person and sent by mail (tests/mailings)",
    "contribution-decide": "a POST that redirects to the ledger (its form is on that page)",
}


def test_every_page_is_in_a_plan_or_said_why_not() -> None:
    walked = {step.name for steps in PLANS.values() for step in steps}
    names = {route.name for route in _portal_routes()}
    missing = names - walked - NOT_WALKED.keys()
    assert not missing, f"pages no role walks: {sorted(missing)}"
    assert not NOT_WALKED.keys() & walked, "listed as not walked, yet walked"
    assert not NOT_WALKED.keys() - names, "listed as not walked, but no such URL pattern"


def test_every_role_walks_each_of_its_pages_once_and_one_role_of_each_kind_every_variant() -> None:
    for role, steps in PLANS.items():
        bounded = plan(role)
        assert {step.name for step in bounded} == {step.name for step in steps}, role
        if role in FULL_WALK:
            assert bounded == list(steps)
    variants = {
        (step.name, step.label()) for steps in PLANS.values() for step in steps if step.variant
    }
    walked_in_full = {
        (step.name, step.label()) for role in FULL_WALK for step in PLANS[role] if step.variant
    }
    assert variants == walked_in_full
