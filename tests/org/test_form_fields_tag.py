"""{% form_fields %}: an empty form of a class that opts in renders once per cache period; a bound
form, another initial value, a class that has not opted in or a form with database choices renders
afresh."""

from datetime import date

import pytest
from django import forms
from django.core.cache import cache
from django.template import Context, Template
from django.test.signals import template_rendered

from cases.forms import AttachmentForm, ProgressForm
from org.models import Unit
from tests.factories import UnitFactory

TAG = Template("{% load form_fields %}{% form_fields form %}")


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _render(form) -> tuple[str, int]:
    """The tag's HTML and how many times it rendered includes/form_fields.html."""
    rendered = []

    def seen(sender, template, **kwargs):
        if template.name == "includes/form_fields.html":
            rendered.append(template.name)

    template_rendered.connect(seen)
    try:
        html = TAG.render(Context({"form": form}))
    finally:
        template_rendered.disconnect(seen)
    return html, len(rendered)


def test_empty_form_renders_once_and_the_same_html_is_shown_again():
    first, renders = _render(ProgressForm(initial={"happened_on": date(2026, 11, 30)}))
    assert renders == 1 and 'value="2026-11-30"' in first and 'name="text"' in first
    again, renders = _render(ProgressForm(initial={"happened_on": date(2026, 11, 30)}))
    assert renders == 0 and again == first
    # another form on the same page keeps its own fields and ids
    attachment, renders = _render(AttachmentForm())
    assert renders == 1 and 'id="id_att-file"' in attachment and 'name="text"' not in attachment


def test_another_initial_value_is_its_own_html():
    _render(ProgressForm(initial={"happened_on": date(2026, 11, 30)}))
    next_day, renders = _render(ProgressForm(initial={"happened_on": date(2026, 12, 1)}))
    assert renders == 1 and 'value="2026-12-01"' in next_day and "2026-11-30" not in next_day


def test_a_bound_form_shows_its_input_and_errors_every_time():
    _render(ProgressForm(initial={"happened_on": date(2026, 11, 30)}))
    for text in ("第一次填写", "第二次填写"):
        html, renders = _render(
            ProgressForm(data={"happened_on": "not a date", "text": text, "kind": "photo"})
        )
        assert renders == 1 and text in html and 'data-field="happened_on"' in html


@pytest.mark.django_db
def test_a_form_with_database_choices_is_never_cached():
    class UnitForm(forms.Form):
        cache_empty_html = True  # opting in does not make database choices cacheable
        unit = forms.ModelChoiceField(queryset=Unit.objects.order_by("pk"))

    UnitFactory(name="甲单位")
    _, renders = _render(UnitForm())
    assert renders == 1
    UnitFactory(name="新设单位")
    html, renders = _render(UnitForm())
    assert renders == 1 and "新设单位" in html


def test_a_form_that_has_not_opted_in_renders_every_time():
    class NoteForm(forms.Form):
        note = forms.CharField(label="备注")

    for _ in range(2):
        html, renders = _render(NoteForm())
        assert renders == 1 and 'name="note"' in html
