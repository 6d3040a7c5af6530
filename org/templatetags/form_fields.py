"""``{% form_fields form %}``: a form's fields through ``includes/form_fields.html``; an empty form
of a class that opts in (``cache_empty_html = True``) rendered once per cache period.

The case page shows two empty upload forms (办理进展, 档案材料) on every view; their fields render
through some thirty widget templates, about a sixth of the page's time. An unbound form's HTML
depends only on its fields (labels, widgets and their attributes, choices, help texts), its prefix
and its initial values — never on the request (the CSRF token is outside it) — so that HTML is
cached under a digest of exactly those. A form class opts in only when nothing else shapes its
HTML: no per-user or per-request change of fields in ``__init__``, no callable initial values. A
bound form (the user's input, its errors), a form that has not opted in and a form with choices read
from the database (a ``ModelChoiceField``, whose rows can change at any time) always render afresh.
"""

import hashlib

from django import forms, template
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

register = template.Library()

TEMPLATE = "includes/form_fields.html"
TIMEOUT = 600  # seconds: a new release's forms show within ten minutes even without a restart


def _digest(form) -> str | None:
    """The cache key of an unbound form's HTML, or None when it must not be cached."""
    if form.is_bound or not getattr(type(form), "cache_empty_html", False):
        return None
    parts = [
        type(form).__module__,
        type(form).__qualname__,
        form.prefix,
        form.auto_id,
        form.label_suffix,
        form.use_required_attribute,
        type(form.renderer).__qualname__,
    ]
    for name, field in form.fields.items():
        if isinstance(field, forms.ModelChoiceField):
            return None
        widget = field.widget
        parts.append(
            (
                name,
                type(field).__name__,
                type(widget).__name__,
                str(field.label),
                str(field.help_text),
                field.required,
                field.disabled,
                sorted(widget.attrs.items()),
                [(value, str(label)) for value, label in getattr(field, "choices", ())],
                form.get_initial_for_field(field, name),
            )
        )
    return "form-fields:" + hashlib.sha256(repr(parts).encode()).hexdigest()


@register.simple_tag
def form_fields(form):
    key = _digest(form)
    if key is None:
        return render_to_string(TEMPLATE, {"form": form})
    html = cache.get(key)
    if html is None:
        html = render_to_string(TEMPLATE, {"form": form})
        cache.set(key, html, TIMEOUT)
    return mark_safe(html)  # the template's own output, escaped there
