"""Per-client throttling: each client has its own rate (ApiClient.throttle_rate); a browser
session shares the default rate per account. Counts live in Django's cache."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from .permissions import client_of


class ClientRateThrottle(SimpleRateThrottle):
    scope = "api_client"

    def allow_request(self, request, view):
        client = client_of(request)
        self.rate = (
            client.throttle_rate if client else settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][self.scope]
        )
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        client = client_of(request)
        if client is not None:
            ident = f"client-{client.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"anon-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
