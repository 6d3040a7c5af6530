"""Idle sessions end: a signed-in user who sends no request for ``SESSION_IDLE_MINUTES`` is signed out.

The last request's time is kept in the session; the next request after the limit is answered as
for a signed-out visitor (login page with a message). Pages carry the limit in ``<body
data-idle-minutes>`` and static/js/idle.js warns two minutes before it runs out.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout

KEY = "last_seen"
TOUCH_SECONDS = 60


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            last = request.session.get(KEY)
            if last is not None and now - last > settings.SESSION_IDLE_MINUTES * 60:
                logout(request)
                messages.warning(
                    request, f"您已超过 {settings.SESSION_IDLE_MINUTES} 分钟未操作，请重新登录。"
                )
            elif last is None or now - last > TOUCH_SECONDS:
                # written at most once a minute, not on every request (a session save is a query)
                request.session[KEY] = now
        return self.get_response(request)


def stamp_login(sender, request, user, **kwargs):
    """The idle clock starts at sign-in (connected in OrgConfig.ready)."""
    if request is not None and hasattr(request, "session"):
        request.session[KEY] = time.time()


class NoStoreMiddleware:
    """Pages and files for a signed-in user carry personal data: no browser or proxy may keep them.

    Public pages (the disclosure tables) show no personal data and stay cacheable; static files are
    answered by WhiteNoise before this runs.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils.cache import add_never_cache_headers

        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
