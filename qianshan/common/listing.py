"""Sorting, paging and keyword search shared by every list page (cases, tasks, acceptance, …).

- ``Sorting``: the sort is ``?sort=key`` / ``?sort=-key`` in the URL; only the keys a list offers
  are accepted (an unknown key falls back to the default, never a 500). Every offered order ends
  in the primary key, so pages are stable, and each is backed by a matching index (the lists'
  migrations name them).
- ``paginate``: one COUNT per page view — a list that has already counted its rows (per-state
  chips) hands the total over instead of letting the paginator count again; page numbers around
  the current one plus jump-to-page come from ``includes/pagination.html``.
- ``keyword_q``: ``icontains`` over the given fields; on PostgreSQL that is
  ``UPPER(col) LIKE UPPER('%…%')``, which the pg_trgm GIN indexes on ``UPPER(col)`` serve (3+
  characters); a 2-character keyword goes through a bigram index where the list has one
  (``qianshan/common/bigrams.py``); on SQLite a plain LIKE scan.
"""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Case, Expression, IntegerField, Q, Value, When
from django.forms.utils import flatatt
from django.http import QueryDict
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import mark_safe

from . import bigrams

SORT_PARAM = "sort"


@dataclass(frozen=True)
class SortOption:
    label: str
    # ascending; the descending order reverses each field. A field is a name or an expression
    # (rank_of: a stored code in lifecycle order), matched by an expression index.
    fields: tuple[str | Expression, ...]


def rank_of(field: str, codes) -> Case:
    """The place of ``field``'s stored code in ``codes`` (0, 1, …): ordering by it sorts 环节/等级
    in their lifecycle order, not alphabetically. The lists' migrations create an expression index
    on exactly this CASE (plus id), so PostgreSQL reads the order from the index."""
    return Case(
        *(When(**{field: str(code)}, then=Value(i)) for i, code in enumerate(codes)),
        default=Value(len(codes)),
        output_field=IntegerField(),
    )


def _ordered(field, descending: bool):
    if isinstance(field, str):
        if not descending:
            return field
        return field.removeprefix("-") if field.startswith("-") else f"-{field}"
    return field.desc() if descending else field.asc()


@dataclass(frozen=True)
class SortHeader:
    label: str
    query: str  # the list's query string with this sort (page dropped)
    active: bool
    descending: bool

    @property
    def arrow(self) -> str:
        if not self.active:
            return ""
        return "▼" if self.descending else "▲"


class Sorting:
    """The sort a list page uses, read from its query string."""

    def __init__(self, options: dict[str, SortOption], default: str, query: QueryDict | None = None):
        self.options = options
        self.query = query if query is not None else QueryDict()
        raw = self.query.get(SORT_PARAM, "") or ""
        key = raw.removeprefix("-")
        if key in options:
            self.key, self.descending, self.explicit = key, raw.startswith("-"), True
        else:  # absent or unknown (a hand-edited URL): the default, silently
            self.key, self.descending, self.explicit = (
                default.removeprefix("-"),
                default.startswith("-"),
                False,
            )

    @property
    def value(self) -> str:
        """The ?sort= value of the current sort ("" when it is the default one)."""
        if not self.explicit:
            return ""
        return f"-{self.key}" if self.descending else self.key

    @property
    def order_by(self) -> tuple:
        fields = (*self.options[self.key].fields, "pk")
        return tuple(_ordered(f, self.descending) for f in fields)

    def apply(self, qs):
        return qs.order_by(*self.order_by)

    def header(self, key: str) -> SortHeader:
        active = key == self.key
        descending = active and not self.descending  # clicking the active column flips it
        query = self.query.copy()
        query.pop("page", None)
        query[SORT_PARAM] = f"-{key}" if descending else key
        return SortHeader(self.options[key].label, query.urlencode(), active, self.descending)

    def __getitem__(self, key: str) -> SortHeader:
        """``{{ sorting.receipt_no.query }}`` in templates."""
        if key not in self.options:
            raise KeyError(key)
        return self.header(key)


# From this row on a page's rows are fetched by their keys first (a "deferred join"): the skipped
# rows are then read from the sort's index alone, not fetched whole and thrown away.
DEFERRED_FROM_ROW = 500


class ListPaginator(Paginator):
    """A paginator that takes a count the view already has (so the list counts once), and reads a
    deep page in two steps: the page's primary keys in the list's order (PostgreSQL walks the sort's
    index — each offered order ends in the primary key and has an index — and skips the rows before
    the page there), then those rows. Page 1000 of 100 000 cases costs what page 1 costs plus one
    small query, instead of fetching and dropping 50 000 whole rows."""

    def __init__(self, object_list, per_page, *, count: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        if count is not None:
            self.__dict__["count"] = count

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        qs = self.object_list
        if bottom < DEFERRED_FROM_ROW or not hasattr(qs, "values_list"):
            return self._get_page(qs[bottom:top], number, self)
        keys = list(qs.values_list("pk", flat=True)[bottom:top])
        place = {pk: i for i, pk in enumerate(keys)}
        rows = sorted(qs.filter(pk__in=keys), key=lambda row: place[row.pk])
        return self._get_page(rows, number, self)

    def _get_page(self, *args, **kwargs):
        return ListPage(*args, **kwargs)


class ListPage(Page):
    @cached_property
    def window(self) -> list[int | None]:
        """Page numbers to link: first, last and two either side of the current; None = gap."""
        last = self.paginator.num_pages
        wanted = {1, last, *range(self.number - 2, self.number + 3)}
        numbers = sorted(n for n in wanted if 1 <= n <= last)
        out: list[int | None] = []
        for n in numbers:
            if out and n - out[-1] > 1:
                out.append(None)
            out.append(n)
        return out


def paginate(query: QueryDict, qs, per_page: int, *, count: int | None = None) -> ListPage:
    """The requested page (a bad or too-large number gives the nearest valid page)."""
    return ListPaginator(qs, per_page, count=count).get_page(query.get("page"))


def query_without_page(query: QueryDict) -> str:
    """The list's query string without the page (and the CSRF token of a POSTed export form)."""
    rest = query.copy()
    rest.pop("page", None)
    rest.pop("csrfmiddlewaretoken", None)
    return rest.urlencode()


def keyword_q(value: str, fields: tuple[str, ...], *, bigram_indexed: bool = False) -> Q:
    """Rows where any of ``fields`` contains ``value`` (case-insensitive).

    ``bigram_indexed``: ``fields`` (in this order) have a ``qianshan.common.bigrams`` index. On
    PostgreSQL a 2-character keyword — pg_trgm extracts no trigram from it — is then found through
    that index: the condition is ``bigrams @> {kw} AND (IsBigram OR the icontains ORs)``. Where
    ``UPPER(kw)`` is two characters (always, but for a few letters ICU upper-cases to two),
    ``IsBigram`` is a constant true that PostgreSQL folds the LIKEs away with: holding that one
    bigram in a field *is* containing the keyword (a keyword holding the fields' separator keeps
    the plain LIKE). Else the LIKEs stay the exact test. 1 character: the LIKE scan, as before; 3+:
    the pg_trgm indexes, as before — not ANDed with the bigram test, whose recheck on the pages a
    trigram bitmap marks lossy would compute the bigrams of every row found."""
    q = Q()
    for name in fields:
        q |= Q(**{f"{name}__icontains": value})
    if (
        not bigram_indexed
        or len(value) != 2
        or bigrams.SEPARATOR in value
        or connection.vendor != "postgresql"
    ):
        return q
    return (Q(bigrams.IsBigram(value)) | q) & Q(bigrams.KeywordBigrams(fields, value))


# --- filter forms: selects rendered without a template per <option> ------------------------------
class FastSelectMixin:
    """Render a <select> in Python from the widget's choices: Django builds a dict per <option> and
    renders each through a template include, which is most of a list page's time once a filter
    offers a few hundred units (issue 12 profile)."""

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final["multiple"] = True
        chosen = {str(v) for v in self.format_value(value)}
        single = not self.allow_multiple_selected
        parts = [f'<select name="{escape(name)}"{flatatt(final)}>']

        def option(opt_value, label):
            text = "" if opt_value is None else str(opt_value)
            selected = text in chosen
            if selected and single:
                chosen.clear()  # as Django: only the first matching option of a single select
            mark = " selected" if selected else ""
            return f'<option value="{escape(text)}"{mark}>{escape(label)}</option>'

        for group, options in self.choices:
            if isinstance(options, list | tuple):
                parts.append(f'<optgroup label="{escape(group)}">')
                parts.extend(option(v, label) for v, label in options)
                parts.append("</optgroup>")
            else:
                parts.append(option(group, options))
        parts.append("</select>")
        return mark_safe("".join(parts))  # every value and label above is escaped


_FAST: dict[type, type] = {}


def fast_selects(form):
    """Swap the form's select widgets for FastSelectMixin versions of the same classes, with the
    model choices (督察、单位、污染类型) from the cache (qianshan/common/choices.py)."""
    from django import forms

    from .choices import cache_model_choices

    cache_model_choices(form)

    for field in form.fields.values():
        cls = type(field.widget)
        if issubclass(cls, forms.Select) and not issubclass(cls, FastSelectMixin):
            if cls not in _FAST:
                _FAST[cls] = type(f"Fast{cls.__name__}", (FastSelectMixin, cls), {})
            field.widget.__class__ = _FAST[cls]
    return form
