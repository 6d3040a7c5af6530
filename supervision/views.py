from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def index(request):
    """调度与报告: placeholder until supervision is built (issue 7)."""
    return render(request, "placeholder.html", {"title": "调度督办"})
