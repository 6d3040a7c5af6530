from django.conf import settings


def session_limits(request):
    """The idle limit, for the warning the pages show before the session ends (static/js/app.js)."""
    return {"idle_minutes": settings.SESSION_IDLE_MINUTES}
