"""Form widgets every app shares."""

from django import forms

ISO_DATE = "%Y-%m-%d"


class DateInput(forms.DateInput):
    """An ``<input type="date">`` whose value is always ISO ``YYYY-MM-DD``.

    A browser's date input shows only an ISO value and drops any other (a saved date rendered in the
    locale's ``2026/11/20`` appeared empty, and the next save stored nothing). Django's DateInput
    formats with the active locale's first DATE_INPUT_FORMATS entry unless given a format, so this
    widget always gives one; parsing ISO is in every locale's input formats.
    """

    input_type = "date"

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs, format=format or ISO_DATE)
