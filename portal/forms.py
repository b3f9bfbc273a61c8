from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal import spreadsheets
from portal.exports import XLSX_CONTENT_TYPE


class OneTimeCodeForm(forms.Form):
    otp_token = forms.CharField(
        label=_("Code from your authenticator app"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_otp_token(self) -> str:
        token = "".join(self.cleaned_data["otp_token"].split())
        if not token.isdigit():
            raise forms.ValidationError(_("The code is made of digits only."))
        return token


def posted(request: Any) -> Any:
    """A form's data: a POST binds it even when empty (its errors are then the answer), any
    other method leaves it unbound."""
    return request.POST if request.method == "POST" else None


def add_validation_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: per field where it names one."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error)


class ReplaceAuthenticatorForm(OneTimeCodeForm):
    """A new authenticator is accepted only with the account's password typed again."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ["password", "otp_token"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["otp_token"].label = _("Code from the new authenticator")
        self.fields["otp_token"].widget.attrs.pop("autofocus", None)


class WorkbookForm(forms.Form):
    """An XLSX to import, at most ``spreadsheets.MAX_UPLOAD_BYTES``; each importer's form says
    in ``help_text`` which download it is and what to fill in."""

    help_text: Any = ""
    workbook = forms.FileField(
        label=_("Workbook (XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX_CONTENT_TYPE}"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["workbook"].help_text = self.help_text

    def clean_workbook(self) -> Any:
        upload = self.cleaned_data["workbook"]
        if upload.size > spreadsheets.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB: split it."))
        return upload
