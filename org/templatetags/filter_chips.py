"""The active filters of a list as removable chips (includes/filter_form.html).

``{% filter_chips form request as chips %}`` gives one chip per filter value in the query string:
``{"label": "环节", "value": "整改中", "query": "…"}``, where ``query`` is the query string without
that value (and without the page number), so the chip's link shows the list without that filter.
"""

from django import template

register = template.Library()

# query-string keys that are not filters: the sort order and the page
NOT_FILTERS = {"sort", "page", "o"}


def _display(field, value: str) -> str:
    choices = getattr(field.field, "choices", None) or getattr(field.field.widget, "choices", None)
    if choices:
        for key, text in _flat(choices):
            if str(key) == value:
                return str(text)
    if value in ("true", "True", "on", "1") and field.field.__class__.__name__.startswith(
        ("Boolean", "NullBoolean")
    ):
        return "是"
    if value in ("false", "False", "0") and field.field.__class__.__name__.startswith("NullBoolean"):
        return "否"
    return value


def _flat(choices):
    for key, text in choices:
        if isinstance(text, (list, tuple)):
            yield from _flat(text)
        else:
            yield key, text


@register.simple_tag
def filter_chips(form, request) -> list[dict]:
    if form is None or request is None:
        return []
    chips = []
    params = request.GET
    for field in form:
        if field.is_hidden or field.name in NOT_FILTERS:
            continue
        # a range field stands for several keys (its MultiWidget's name_after / name_before)
        suffixes = getattr(field.field.widget, "suffixes", None)
        keys = [f"{field.name}_{s}" for s in suffixes] if suffixes else [field.name]
        for key in keys:
            if key not in params:
                continue
            for value in params.getlist(key):
                if value in ("", None, "unknown"):
                    continue
                rest = params.copy()
                rest.setlist(key, [v for v in params.getlist(key) if v != value])
                rest.pop("page", None)
                chips.append(
                    {"label": str(field.label), "value": _display(field, value), "query": rest.urlencode()}
                )
    return chips


@register.simple_tag(takes_context=True)
def list_filter_form(context):
    """The form includes/filter_form.html shows: ``filter_form`` if given, else the FilterSet's form."""
    form = context.get("filter_form")
    if form is None:
        form = getattr(context.get("filter"), "form", None)
    return form
