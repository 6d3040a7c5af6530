from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def index(request):
    """验收复核: placeholder until the acceptance chain is built (issue 5)."""
    return render(request, "placeholder.html", {"title": "验收复核"})
