"""The shared date input renders ISO YYYY-MM-DD whatever the locale, so a browser shows the saved date."""

from datetime import date

from django import forms
from django.utils import translation

from qianshan.common.widgets import DateInput


class _Form(forms.Form):
    day = forms.DateField(widget=DateInput())


def test_date_input_renders_iso_under_the_chinese_locale():
    with translation.override("zh-hans"):
        html = str(_Form(initial={"day": date(2026, 11, 20)})["day"])
    assert 'type="date"' in html and 'value="2026-11-20"' in html


def test_date_input_reads_back_what_it_rendered():
    with translation.override("zh-hans"):
        bound = _Form({"day": "2026-11-20"})
        assert bound.is_valid() and bound.cleaned_data["day"] == date(2026, 11, 20)
