from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dialogues.models import AgreedAction, Dialogue
from dialogues.services import MAX_ACTIONS, ActionDraft
from partners.models import Partner
from portal.models import User
from programs.selectors import visible_projects
from progress.forms import BoundedModelMultipleChoiceField
from progress.selectors import split_story_references

MAX_TEXT = 20_000
PARTNER_OWNS = "partner"


def staff_who_may_see(partner: Partner) -> Any:
    """The staff a dialogue with this partner may name: active staff, cleared ones only for a
    confidential partner."""
    staff = User.objects.filter(Q(role=User.Role.STAFF) | Q(is_superuser=True), is_active=True)
    if partner.is_confidential:
        staff = staff.filter(is_cleared=True)
    return staff.order_by("username")


def _person(user: User) -> str:
    return user.get_full_name() or user.get_username()


class PeopleField(BoundedModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _person(obj)


class DialogueForm(forms.ModelForm):
    """The dialogue itself; the partner is chosen before the form and cannot change."""

    staff_participants = PeopleField(
        label=_("Staff who took part"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    partner_participants = PeopleField(
        label=_("The partner's people who took part"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    story_references = forms.CharField(
        label=_("Stories discussed"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Their references (S-…), separated by spaces or commas."),
    )

    class Meta:
        model = Dialogue
        fields = [
            "held_on",
            "format",
            "project",
            "staff_participants",
            "partner_participants",
            "other_participants",
            "agenda",
            "notes",
        ]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "other_participants": forms.Textarea(attrs={"rows": 2, "maxlength": MAX_TEXT}),
            "agenda": forms.Textarea(attrs={"rows": 4, "maxlength": MAX_TEXT}),
            "notes": forms.Textarea(attrs={"rows": 8, "maxlength": MAX_TEXT}),
        }

    def __init__(self, *args: Any, user: Any, partner: Partner, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.partner = partner
        self.fields["project"].queryset = (  # type: ignore[attr-defined]
            visible_projects(user).filter(partner=partner).order_by("title")
        )
        # Those who took part stay choices even once their account is closed or erased: saving
        # the dialogue again must not drop them.
        staff_before, partner_before = Q(pk__in=[]), Q(pk__in=[])
        if self.instance.pk:
            staff_before = Q(pk__in=self.instance.staff_participants.values("pk"))
            partner_before = Q(pk__in=self.instance.partner_participants.values("pk"))
        self.fields["staff_participants"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            Q(pk__in=staff_who_may_see(partner).values("pk")) | staff_before
        ).order_by("username")
        self.fields["partner_participants"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            Q(is_active=True, role=User.Role.PARTNER, partner=partner) | partner_before
        ).order_by("username")
        for name in ("other_participants", "agenda", "notes"):
            self.fields[name].validators.append(_max_length)
        if self.instance.pk and not self.is_bound:
            self.initial["story_references"] = " ".join(
                self.instance.stories.order_by("reference").values_list("reference", flat=True)
            )

    def clean_story_references(self) -> list[str]:
        return split_story_references(self.cleaned_data["story_references"], limit=100)


def _max_length(value: str) -> None:
    if len(value) > MAX_TEXT:
        raise forms.ValidationError(
            _("At most %(count)d characters.") % {"count": MAX_TEXT}, code="max_length"
        )


class ActionForm(forms.Form):
    """One action agreed in the dialogue: what, by when, and who owns it."""

    description = forms.CharField(
        label=_("What was agreed"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    due_on = forms.DateField(
        label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    owner = forms.ChoiceField(label=_("Owner"), initial=PARTNER_OWNS)

    def __init__(self, *args: Any, owners: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [(PARTNER_OWNS, _("The partner")), *owners]  # type: ignore[attr-defined]

    def draft(self, staff: dict[str, User]) -> ActionDraft:
        owner = self.cleaned_data["owner"]
        return ActionDraft(
            description=self.cleaned_data["description"],
            due_on=self.cleaned_data["due_on"],
            owner_user=None if owner == PARTNER_OWNS else staff[owner],
        )


ActionFormSet = forms.formset_factory(
    ActionForm, extra=3, max_num=MAX_ACTIONS, validate_max=True, absolute_max=MAX_ACTIONS
)


def action_formset(data: Any, partner: Partner) -> tuple[Any, dict[str, User]]:
    """The formset of new actions, with the staff who may own them."""
    staff = {str(user.pk): user for user in staff_who_may_see(partner)}
    owners = [(pk, _person(user)) for pk, user in staff.items()]
    formset = ActionFormSet(data, prefix="actions", form_kwargs={"owners": owners})
    return formset, staff


def single_action_form(data: Any, partner: Partner) -> tuple[ActionForm, dict[str, User]]:
    """One action to agree with the partner outside a dialogue (from its self-assessment), with
    the staff who may own it."""
    staff = {str(user.pk): user for user in staff_who_may_see(partner)}
    owners = [(pk, _person(user)) for pk, user in staff.items()]
    return ActionForm(data, prefix="action", owners=owners), staff


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=AgreedAction.Status.choices)
    reason = forms.CharField(
        label=_("Why it is dropped"),
        required=False,
        max_length=2000,
        widget=forms.TextInput(),
    )

    def __init__(self, *args: Any, done_only: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if done_only:
            # The partner's users mark their actions done; dropping one is agreed with staff.
            self.fields["status"].choices = [  # type: ignore[attr-defined]
                (AgreedAction.Status.DONE, AgreedAction.Status.DONE.label)
            ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == AgreedAction.Status.DROPPED and not data.get("reason", "").strip():
            self.add_error("reason", _("Say why the action is dropped."))
        return data


class DialogueFilterForm(forms.Form):
    """The list's filters: the partner (staff only) and where the dialogue stands."""

    STATUSES = [
        ("", _("Any")),
        ("awaiting", _("Notes awaiting the partner's confirmation")),
        ("confirmed", _("Notes confirmed")),
        ("open_actions", _("With open actions")),
    ]

    partner = forms.ModelChoiceField(
        label=_("Partner"), queryset=Partner.objects.none(), required=False
    )
    status = forms.ChoiceField(label=_("Status"), choices=STATUSES, required=False)

    def __init__(self, *args: Any, partners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if partners is None:
            del self.fields["partner"]
        else:
            self.fields["partner"].queryset = partners  # type: ignore[attr-defined]
