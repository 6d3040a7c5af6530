"""Filter choices (督察、单位、污染类型) kept in Django's cache, so a list page does not read the
same few hundred rows on every view (issue 12: the case list ran five queries for its selects).

- ``cache_model_choices(form)`` gives each ModelChoiceField of a filter form the (pk, label)
  pairs read once per cache period instead of iterating its queryset; validation of a chosen value
  still reads the database (``queryset.get``), so a unit deleted a moment ago is refused.
- The pairs are stored per model (``list-choices:<app.model>``), keyed inside by the queryset's
  SQL; saving or deleting a row of that model deletes the entry (``connect``, from org's ready()).
  With the default per-process cache another worker process may show the old names for at most
  ``CHOICES_TTL`` seconds; with a shared cache (Redis) the deletion reaches every process.
"""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

CHOICES_TTL = 300
# The models whose rows list filters offer; saving one of them drops its cached choices.
CHOICE_MODELS = frozenset({"org.inspection", "org.unit", "cases.pollutiontype"})


def _key(label: str) -> str:
    return f"list-choices:{label}"


def model_choices(queryset, label=str, *, purpose: str = "") -> list[tuple[int, str]]:
    """The (pk, label) pairs of ``queryset``, from the cache when it holds them (``purpose`` tells
    apart two label functions over the same rows)."""
    model = queryset.model._meta.label_lower
    if model not in CHOICE_MODELS:
        return [(obj.pk, label(obj)) for obj in queryset]
    key, name = _key(model), f"{purpose}|{queryset.query}"
    stored = cache.get(key) or {}
    if name not in stored:
        stored[name] = [(obj.pk, label(obj)) for obj in queryset]
        cache.set(key, stored, CHOICES_TTL)
    return stored[name]


def cache_model_choices(form):
    """Swap each model choice field's rendering choices for the cached pairs."""
    from django import forms

    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField) and not isinstance(
            field, forms.ModelMultipleChoiceField
        ):
            pairs = model_choices(field.queryset, field.label_from_instance)
            empty = [("", field.empty_label)] if field.empty_label is not None else []
            # Already in Django's normalised form (value, label): set as they are — the choices
            # setter would normalise each pair again, a few hundred calls per page.
            field.widget._choices = [*empty, *pairs]
    return form


def _dropped(sender, **kwargs):
    label = sender._meta.label_lower
    if label in CHOICE_MODELS:
        cache.delete(_key(label))


def connect():
    post_save.connect(_dropped, dispatch_uid="list-choices-save")
    post_delete.connect(_dropped, dispatch_uid="list-choices-delete")


def units_matching(value: str) -> list[int]:
    """Ids of the units whose name or short name contains ``value`` (case-insensitive), matched
    in Python over the cached names: the keyword box then filters by unit ids, which the lists'
    unit indexes serve, instead of joining the unit table into a text search."""
    from org.models import Unit

    needle = value.casefold()
    names = model_choices(
        Unit.objects.only("pk", "name", "short_name").order_by("pk"),
        lambda u: f"{u.name}\n{u.short_name}".casefold(),
        purpose="keyword",
    )
    return [pk for pk, text in names if needle in text]
