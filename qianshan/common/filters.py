"""Filter widgets shared by the list pages."""

from django import forms


class YesNoAllSelect(forms.NullBooleanSelect):
    """A yes/no filter whose empty choice reads 全部 (django-filter's default says 未知)."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        # "unknown" is the widget's own empty value ("" would match every value as a substring).
        self.choices = [("unknown", "全部"), ("true", "是"), ("false", "否")]
