"""A report's figures and charts written in Python: the report shows hundreds of figures and
bars, and an ``{% include %}`` per figure and a template loop per bar were most of its time (a
profile of the page showed it). The HTML is the same as the templates wrote."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from portal.charts import Chart, Figure

register = template.Library()


def _key(figure: Figure) -> SafeString:
    return format_html(' data-figure="{}"', figure.key) if figure.key else mark_safe("")


@register.simple_tag
def figure_html(figure: Figure) -> SafeString:
    """The figure, a link to the records behind it where it has one."""
    if figure.href:
        return format_html('<a href="{}"{}>{}</a>', figure.href, _key(figure), figure.display)
    if figure.suppressed:
        title = _("Fewer than 5: hidden so that no one can be recognised.")
        return format_html('<span title="{}"{}>{}</span>', title, _key(figure), figure.display)
    if figure.hidden:
        title = _("Hidden so that the small counts beside it cannot be worked out.")
        return format_html(
            '<span class="text-muted" title="{}"{}>{}</span>', title, _key(figure), figure.display
        )
    if figure.key:
        return format_html("<span{}>{}</span>", _key(figure), figure.display)
    return format_html("{}", figure.display)


TENTH = Decimal("0.1")


def _number(value: float) -> str:
    """One decimal, not localised, rounded half up: what ``floatformat:'1u'`` writes, without
    its general machinery (a report draws a thousand coordinates)."""
    rounded = Decimal(str(value)).quantize(TENTH, ROUND_HALF_UP)
    return str(rounded if rounded else abs(rounded))  # no "-0.0"


@register.simple_tag
def chart_shapes(chart: Chart) -> SafeString:
    """The chart's bars and labels, inside its ``<svg>``."""
    bars = format_html_join(
        "",
        '{}<rect x="{}" y="{}" width="{}" height="{}" class="{}"><title>{}</title></rect>{}',
        (
            (
                format_html('<a href="{}" tabindex="-1">', shape.href) if shape.href else "",
                _number(shape.x),
                _number(shape.y),
                _number(shape.width),
                _number(shape.height),
                shape.css,
                shape.title,
                mark_safe("</a>") if shape.href else "",
            )
            for shape in chart.shapes
            if shape.width > 0 and shape.height > 0
        ),
    )
    labels = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="{}" class="{}">{}{}</text>',
        (
            (
                _number(label.x),
                _number(label.y),
                label.anchor,
                label.css,
                format_html("<title>{}</title>", label.title) if label.title else "",
                label.text,
            )
            for label in chart.labels
        ),
    )
    return format_html("{}\n{}", bars, labels)
