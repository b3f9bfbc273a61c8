"""The forms a unit keeps its plan with: the plan, a planned item, an activity held."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from partners.models import MemberOrganisation, SolidarityNetwork
from partners.selectors import visible_networks
from programs.models import Activity, ActivityPlan, Funder, PlannedActivity
from programs.selectors import (
    plan_member_units,
    visible_activity_plans,
    visible_planned_activities,
    visible_programs,
)


class DateInput(forms.DateInput):
    input_type = "date"


class PlanForm(forms.ModelForm):
    class Meta:
        model = ActivityPlan
        fields = ["title", "year", "member_organisation", "parent", "program"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        units = plan_member_units(user).order_by("name")
        if getattr(user, "is_partner_user", False) or (
            self.instance.pk is not None and self.instance.partner_id is not None
        ):
            # A partner's plan is its own organisation's: no unit to choose.
            del fields["member_organisation"]
            del fields["parent"]
        else:
            fields["member_organisation"].queryset = units  # type: ignore[attr-defined]
            fields["member_organisation"].required = not getattr(user, "is_portal_staff", False)
            if fields["member_organisation"].required:
                # A member's own organisation comes first and is chosen: no empty choice.
                fields["member_organisation"].empty_label = None  # type: ignore[attr-defined]
                fields["member_organisation"].initial = getattr(
                    user, "member_organisation_id", None
                )
            fields["member_organisation"].help_text = (
                _("Empty: the staff's own plan.") if getattr(user, "is_portal_staff", False) else ""
            )
            fields["parent"].queryset = (  # type: ignore[attr-defined]
                visible_activity_plans(user)
                .filter(member_organisation__isnull=False)
                .exclude(pk=self.instance.pk)
                .order_by("-year", "title")
            )
            fields["parent"].help_text = _("A branch's plan may file under its district's.")
        fields["program"].queryset = visible_programs(user).order_by("title")  # type: ignore[attr-defined]


class PlannedItemForm(forms.ModelForm):
    class Meta:
        model = PlannedActivity
        fields = [
            "kind",
            "title",
            "target_count",
            "format",
            "quarter",
            "date",
            "responsible",
            "network",
        ]
        widgets = {"date": DateInput()}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = visible_networks(user).order_by("name")  # type: ignore[attr-defined]


class HeldActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = [
            "planned",
            "title",
            "kind",
            "date",
            "place",
            "format",
            "participants_women",
            "participants_men",
            "participants_other",
            "participants_youth",
            "notes",
        ]
        widgets = {"date": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, plan: ActivityPlan, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        planned = self.fields["planned"]
        planned.queryset = (  # type: ignore[attr-defined]
            visible_planned_activities(user).filter(plan=plan).order_by("quarter", "title")
        )
        planned.label = _("Against the planned activity")
        planned.empty_label = _("None: held without a plan")  # type: ignore[attr-defined]
        planned.help_text = _("What no item of the plan asked for is shown apart.")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        people = sum(
            cleaned.get(name) or 0
            for name in ("participants_women", "participants_men", "participants_other")
        )
        if (cleaned.get("participants_youth") or 0) > people:
            self.add_error(
                "participants_youth", _("There cannot be more young people than participants.")
            )
        return cleaned


class CalendarFilter(forms.Form):
    network = forms.ModelChoiceField(
        label=_("Network"), queryset=SolidarityNetwork.objects.none(), required=False
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=MemberOrganisation.objects.none(), required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = visible_networks(user).order_by("name")  # type: ignore[attr-defined]
        if getattr(user, "is_network_member", False):
            self.fields["unit"].queryset = plan_member_units(user).order_by("name")  # type: ignore[attr-defined]
        else:
            del self.fields["unit"]


class FunderChoice(forms.Form):
    """Whose grant to imagine cut, on the funder dependence page."""

    funder = forms.ModelChoiceField(
        label=_("If this funder's money stopped"),
        queryset=Funder.objects.filter(grants__isnull=False).distinct().order_by("name"),
        required=False,
        empty_label=_("choose a funder"),
    )
