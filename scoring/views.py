from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def index(request):
    """考核评分: placeholder until scoring is built (issue 6)."""
    return render(request, "placeholder.html", {"title": "考核评分"})
