"""Bearer-token authentication of integration clients, inside DRF.

It never goes through django.contrib.auth.authenticate(), so the login-protection backends
(django-axes) neither see nor lock out token calls; a bad token is simply a 401.
"""

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .domain.tokens import find_token, refusal
from .models import ApiToken


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode("latin-1").lower() != self.keyword.lower():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Authorization 请求头格式应为：Bearer <令牌>。")
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("令牌无效。") from None
        token = find_token(raw)
        problem = refusal(token)
        if problem:
            raise exceptions.AuthenticationFailed(problem)
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token.client.user, token

    def authenticate_header(self, request):
        # A WWW-Authenticate header makes DRF answer 401 (not 403) to a call without credentials.
        return f'{self.keyword} realm="api"'


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.TokenAuthentication"
    name = "令牌"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "管理员在后台为接口客户端签发的令牌：Authorization: Bearer qs_…",
        }
