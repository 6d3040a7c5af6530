"""Who may call an endpoint: a signed-in account, and for a token its resource scopes."""

from rest_framework import permissions

from .models import ApiToken
from .scopes import allows


def client_of(request):
    """The ApiClient behind a token call, or None for a browser session."""
    return request.auth.client if isinstance(request.auth, ApiToken) else None


class HasResourceScope(permissions.BasePermission):
    """Reads need ``<resource>:read`` (or write), writes ``<resource>:write``.

    A browser session holds every scope: the domain rules then decide, as on the pages.
    """

    message = "此令牌没有该资源的访问权限。"

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        client = client_of(request)
        if client is None:
            return True
        write = request.method not in permissions.SAFE_METHODS
        if write:
            self.message = "此令牌为只读或没有该资源的写入权限。"
        return allows(client.scopes, view.api_resource, write=write)
