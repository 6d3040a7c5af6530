from django import template

from qianshan.common.privacy import mask_personal

register = template.Library()


@register.filter
def public_text(text):
    """Free text on a public page: phones, ID numbers, e-mails, house numbers and 某先生 masked."""
    return mask_personal(str(text or ""))
