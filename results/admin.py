"""The results framework in the admin: outcomes with their indicators, indicators with their
periods, periods with their targets, and the actuals — every list and choice through
``results.selectors``, every write through ``results.services`` (``apps.ready``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.admin_scoping import AccessScopedAdminMixin, ScopedModelAdmin
from portal.forms import add_validation_error
from progress.forms import BoundedModelMultipleChoiceField
from results import selectors, services
from results.models import (
    Actual,
    Dimension,
    DimensionValue,
    Figure,
    Indicator,
    Outcome,
    Period,
    Report,
    ReportEvent,
    Target,
    combination_ids,
)
from results.reports import selectors as report_selectors
from results.reports import services as report_services


class ServiceValidatedForm(forms.ModelForm):  # type: ignore[type-arg]
    """Runs the service's validation while the form is cleaned, so that a figure that does not
    fit its indicator is a form error, never a 500 from the save."""

    def validate_instance(self) -> None:
        pass

    def _post_clean(self) -> None:
        # Django's hook after the instance has the form's values: the place where a model form
        # runs the model's own validation, so the service's runs here too.
        super()._post_clean()  # type: ignore[misc]
        if self.errors:
            return
        try:
            self.validate_instance()
        except ValidationError as error:
            self._update_errors(error)  # type: ignore[attr-defined]


class FigureForm(ServiceValidatedForm):
    """A target or an actual, with its combination chosen as dimension values."""

    values = BoundedModelMultipleChoiceField(
        label=_("disaggregation"),
        queryset=DimensionValue.objects.select_related("dimension"),
        required=False,
        help_text=_("One value of each of the indicator's dimensions; none for the total."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["values"].initial = combination_ids(self.instance.combination)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.instance.combination = services.combination_of(cleaned.get("values") or [])
        return cleaned

    def validate_instance(self) -> None:
        figure: Figure = self.instance
        if figure.period_id is not None:
            services.validate_figure(figure)
            # The form's own checks leave out constraints on fields it does not show, and the
            # combination is chosen through ``values``: one figure per combination is checked
            # here, before the save.
            figure.validate_constraints()

    def _update_errors(self, errors: ValidationError) -> None:
        # The combination is chosen through ``values``.
        if hasattr(errors, "error_dict") and "combination" in errors.error_dict:
            errors.error_dict.setdefault("values", []).extend(errors.error_dict.pop("combination"))
        super()._update_errors(errors)  # type: ignore[misc]


class TargetForm(FigureForm):
    class Meta:
        model = Target
        fields = ("period", "value", "numerator", "denominator")


class ActualForm(FigureForm):
    # No status: an actual takes its report's (``results.reports``), set by the review.
    class Meta:
        model = Actual
        fields = ("period", "project", "value", "numerator", "denominator")

    def validate_instance(self) -> None:
        super().validate_instance()
        # An approved report's figures are locked: said on the form, before the save refuses.
        if self.instance.pk is not None:
            services.refuse_locked(Actual.objects.select_related("period").get(pk=self.instance.pk))
        if self.instance.period_id is not None and self.instance.project_id is not None:
            services.refuse_locked(self.instance)


class PeriodForm(ServiceValidatedForm):
    def validate_instance(self) -> None:
        services.validate_period_move(self.instance)


class IndicatorForm(ServiceValidatedForm):
    class Meta:
        model = Indicator
        fields = (
            "outcome",
            "project",
            "title",
            "description",
            "ordering",
            "measure",
            "unit",
            "currency",
            "direction",
            "baseline_value",
            "baseline_numerator",
            "baseline_denominator",
            "baseline_date",
            "dimensions",
            "projects",
        )

    def validate_instance(self) -> None:
        indicator: Indicator = self.instance
        if indicator.outcome_id is None:
            return
        services.validate_indicator(indicator)
        projects = self.cleaned_data.get("projects")
        if projects is not None:
            services.validate_indicator_links(indicator, projects)


class IndicatorInline(AccessScopedAdminMixin, admin.TabularInline):  # type: ignore[type-arg]
    model = Indicator
    form = IndicatorForm
    fields = ("title", "measure", "unit", "currency", "direction", "baseline_value", "ordering")
    extra = 0
    show_change_link = True


class DimensionValueInline(AccessScopedAdminMixin, admin.TabularInline):  # type: ignore[type-arg]
    model = DimensionValue
    fields = ("code", "name_en", "name_sv", "name_es", "ordering")
    extra = 0
    # Figures name their values by id: a value is kept once defined.
    can_delete = False


@admin.register(Dimension)
class DimensionAdmin(ScopedModelAdmin):
    list_display = ("code", "name_en", "ordering")
    inlines = (DimensionValueInline,)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Figures name their values by id: dimensions are defined once and kept.
        return False


@admin.register(Outcome)
class OutcomeAdmin(ScopedModelAdmin):
    list_display = ("title", "program", "ordering")
    list_filter = ("program__focus_area",)
    search_fields = ("title",)
    autocomplete_fields = ()
    filter_horizontal = ("change_types",)
    inlines = (IndicatorInline,)


class PeriodInline(AccessScopedAdminMixin, admin.TabularInline):  # type: ignore[type-arg]
    model = Period
    form = PeriodForm
    fields = ("start", "end")
    extra = 0
    show_change_link = True


@admin.register(Indicator)
class IndicatorAdmin(ScopedModelAdmin):
    form = IndicatorForm
    list_display = ("title", "outcome", "measure", "direction")
    list_filter = ("measure", "direction")
    search_fields = ("title",)
    filter_horizontal = ("dimensions", "projects")
    inlines = (PeriodInline,)


class TargetInline(AccessScopedAdminMixin, admin.TabularInline):  # type: ignore[type-arg]
    model = Target
    form = TargetForm
    fields = ("values", "value", "numerator", "denominator")
    extra = 0


@admin.register(Period)
class PeriodAdmin(ScopedModelAdmin):
    form = PeriodForm
    list_display = ("__str__", "start", "end")
    list_select_related = ("indicator",)
    list_filter = ("start",)
    inlines = (TargetInline,)


@admin.register(Actual)
class ActualAdmin(ScopedModelAdmin):
    form = ActualForm
    list_display = ("__str__", "period", "status", "value", "numerator", "denominator")
    list_filter = ("status",)
    fields = ("period", "project", "values", "status", "value", "numerator", "denominator")
    readonly_fields = ("status", "updated_at")

    list_select_related = ("period__indicator",)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # An approved report's figure is not offered for deletion (the service refuses it).
        if obj is not None and services.is_locked(obj):
            return False
        return super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "period":
            # A period is named with its indicator: one query for the whole list.
            kwargs["queryset"] = selectors.visible_periods(request.user).select_related("indicator")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReportEventInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ReportEvent
    fields = ("at", "action", "actor", "from_status", "to_status", "comment")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class UnlockForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the report unlocked?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=_("Sent to the partner as the question, and kept in the report's history."),
    )


@admin.register(Report)
class ReportAdmin(ScopedModelAdmin):
    """Reports are entered and reviewed on their pages; here staff read them and their history,
    and administrators and cleared staff unlock an approved one, with a reason."""

    list_display = ("__str__", "status", "start", "end", "updated_at")
    list_filter = ("status", "start")
    fields = ("status", "start", "end", "created_at", "updated_at", "unlock")
    readonly_fields = fields
    inlines = (ReportEventInline,)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = super().get_fields(request, obj)
        if getattr(request.user, "sees_confidential", False):
            return fields
        return [name for name in fields if name != "unlock"]

    @admin.display(description=_("unlock"))
    def unlock(self, obj: Report) -> str:
        if not obj.is_locked:
            return "–"
        url = reverse("admin:results_report_unlock", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Unlock this report…"))

    def get_urls(self) -> list[URLPattern]:
        unlock = path(
            "<int:pk>/unlock/",
            self.admin_site.admin_view(self.unlock_view),
            name="results_report_unlock",
        )
        return [unlock, *super().get_urls()]

    def unlock_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = self.get_queryset(request).filter(pk=pk).first()
        if report is None or not report_selectors.may_unlock(request.user, report):
            raise Http404
        form = UnlockForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                report_services.report_unlock(
                    actor=request.user, report=report, reason=form.cleaned_data["reason"]
                )
            except PermissionDenied as error:
                raise Http404 from error
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(
                    request, gettext("The report is unlocked and back with the partner.")
                )
                return redirect("admin:results_report_change", report.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": report,
            "form": form,
            "title": gettext("Unlock %(report)s") % {"report": report},
        }
        return TemplateResponse(request, "admin/results/report/unlock.html", context)
