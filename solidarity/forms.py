"""The ledger's forms: what a page shows, a row staff record, what a member reports, a file."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.models import MemberOrganisation, SolidarityNetwork
from partners.selectors import (
    member_unit_ids,
    visible_member_organisations,
    visible_networks,
    visible_partners,
)
from portal.forms import WorkbookForm
from programs.forms import DateInput
from programs.models import ActivityFormat, ActivityKind
from programs.selectors import visible_programs
from solidarity.models import REPORTABLE_KINDS, Contribution, ExpertiseNeed, ExpertiseOffer
from solidarity.selectors import visible_contributions, visible_offers

# A period longer than this is refused: ten years of pledges are already a long page.
MAX_PERIOD_DAYS = 366 * 10


class LedgerFilterForm(forms.Form):
    """The period and the heads a ledger page adds up; empty: this calendar year, everything."""

    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("To"), required=False, widget=DateInput())
    network: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Network"), queryset=None, required=False
    )
    program: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Programme"), queryset=None, required=False
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    member_organisation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Member organisation"), queryset=None, required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["network"].queryset = visible_networks(user).order_by("name")  # type: ignore[attr-defined]
        fields["program"].queryset = visible_programs(user).order_by("title")  # type: ignore[attr-defined]
        fields["kind"].choices = [("", _("All kinds")), *Contribution.Kind.choices]  # type: ignore[attr-defined]
        fields["status"].choices = [("", _("Any status")), *Contribution.Status.choices]  # type: ignore[attr-defined]
        if getattr(user, "is_portal_staff", False):
            fields["member_organisation"].queryset = visible_member_organisations(  # type: ignore[attr-defined]
                user
            ).order_by("name")
        else:
            del fields["member_organisation"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        year = timezone.localdate().year
        start = data.get("start") or dt.date(year, 1, 1)
        end = data.get("end") or dt.date(start.year, 12, 31)
        if end < start:
            raise forms.ValidationError(_("The period ends before it starts."))
        if (end - start).days > MAX_PERIOD_DAYS:
            raise forms.ValidationError(_("Choose a period of at most ten years."))
        data["start"], data["end"] = start, end
        return data

    def period(self) -> tuple[dt.date, dt.date]:
        if self.is_bound and self.is_valid():
            return self.cleaned_data["start"], self.cleaned_data["end"]
        year = timezone.localdate().year
        return dt.date(year, 1, 1), dt.date(year, 12, 31)


class ContributionForm(forms.ModelForm):
    """Staff record or correct a row of the ledger."""

    class Meta:
        model = Contribution
        fields = [
            "kind",
            "date",
            "ends_on",
            "member_organisation",
            "donor_name",
            "amount_sek",
            "hours",
            "network",
            "program",
            "pledge",
            "note",
        ]
        widgets = {"date": DateInput(), "ends_on": DateInput()}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["member_organisation"].queryset = visible_member_organisations(user).order_by("name")  # type: ignore[attr-defined]
        fields["network"].queryset = visible_networks(user).order_by("name")  # type: ignore[attr-defined]
        fields["program"].queryset = visible_programs(user).order_by("title")  # type: ignore[attr-defined]
        fields["pledge"].queryset = (  # type: ignore[attr-defined]
            visible_contributions(user)
            .filter(kind=Contribution.Kind.MONTHLY_PLEDGE, status=Contribution.Status.CONFIRMED)
            .exclude(pk=self.instance.pk)
            .select_related("member_organisation")
            .order_by("member_organisation__name", "donor_name", "date")
        )
        fields["pledge"].label_from_instance = pledge_label  # type: ignore[attr-defined]


def pledge_label(pledge: Contribution) -> str:
    return _("%(who)s, %(amount)s SEK a month from %(first)s") % {
        "who": pledge.contributor,
        "amount": pledge.amount_sek,
        "first": pledge.date.isoformat(),
    }


class ReportForm(forms.ModelForm):
    """A member organisation's user reports a workplace collection or a study circle."""

    class Meta:
        model = Contribution
        fields = [
            "kind",
            "member_organisation",
            "date",
            "amount_sek",
            "hours",
            "network",
            "program",
            "note",
        ]
        widgets = {"date": DateInput()}
        help_texts = {
            "amount_sek": _("For a workplace collection: what was collected."),
            "hours": _("For a study circle: its hours together."),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        labels = dict(Contribution.Kind.choices)
        fields["kind"].choices = [(kind, labels[kind]) for kind in REPORTABLE_KINDS]  # type: ignore[attr-defined]
        units = MemberOrganisation.objects.filter(pk__in=member_unit_ids(user)).order_by("name")
        fields["member_organisation"].queryset = units  # type: ignore[attr-defined]
        fields["member_organisation"].required = True
        fields["member_organisation"].empty_label = None  # type: ignore[attr-defined]
        fields["member_organisation"].label = _("Given by")
        fields["network"].queryset = visible_networks(user).order_by("name")  # type: ignore[attr-defined]
        fields["program"].queryset = visible_programs(user).order_by("title")  # type: ignore[attr-defined]


class ImportForm(WorkbookForm):
    """An XLSX in the download's layout (``solidarity.imports``)."""

    help_text = _("The ledger's XLSX download, or a sheet with the same header; at most 5 MB.")


class NeedForm(forms.ModelForm):
    """A partner states what it needs; staff may state it for a partner they see."""

    class Meta:
        model = ExpertiseNeed
        fields = ["partner", "title", "description", "network"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        if getattr(user, "is_partner_user", False):
            del fields["partner"]
            fields["network"].queryset = SolidarityNetwork.objects.filter(  # type: ignore[attr-defined]
                partners=user.partner_id
            ).order_by("name")
        else:
            fields["partner"].queryset = visible_partners(user).order_by("name")  # type: ignore[attr-defined]
            fields["network"].queryset = visible_networks(user).order_by("name")  # type: ignore[attr-defined]


class OfferForm(forms.ModelForm):
    """A member organisation offers an expertise role."""

    class Meta:
        model = ExpertiseOffer
        fields = ["member_organisation", "title", "description", "hours"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["member_organisation"]
        if getattr(user, "is_portal_staff", False):
            field.queryset = visible_member_organisations(user).order_by("name")  # type: ignore[attr-defined]
        else:
            field.queryset = MemberOrganisation.objects.filter(  # type: ignore[attr-defined]
                pk__in=member_unit_ids(user)
            ).order_by("name")
            field.empty_label = None  # type: ignore[attr-defined]


class MatchForm(forms.Form):
    """Staff put a need together with an offer, as an item of both units' plans."""

    offer = forms.ModelChoiceField(label=_("Offer"), queryset=ExpertiseOffer.objects.none())
    kind = forms.ChoiceField(label=_("Kind of activity"), choices=ActivityKind.choices)
    activity_format = forms.ChoiceField(label=_("Format"), choices=ActivityFormat.choices)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        choices=[("", _("any time this year")), *[(q, f"Q{q}") for q in range(1, 5)]],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["offer"].queryset = (  # type: ignore[attr-defined]
            visible_offers(user)
            .filter(status=ExpertiseOffer.Status.OPEN)
            .select_related("member_organisation")
            .order_by("member_organisation__name", "title")
        )
        self.fields["offer"].label_from_instance = (  # type: ignore[attr-defined]
            lambda offer: f"{offer.member_organisation}: {offer.title}"
        )
