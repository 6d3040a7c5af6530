"""Issuing, revoking and checking API tokens (接口令牌).

A token is ``qs_<prefix>_<secret>`` with 32 random bytes of secret; only its SHA-256 is stored.
A token of that entropy needs no slow password hash: nobody can guess one to match the digest,
and a lookup by digest is one indexed query.
"""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from qianshan.common.errors import DomainError

from ..models import ApiClient, ApiToken

TOKEN_PREFIX = "qs_"
DEFAULT_DAYS = 365
MAX_DAYS = 3 * 365


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def issue_token(client: ApiClient, *, actor, days: int = DEFAULT_DAYS) -> tuple[ApiToken, str]:
    """Create a token for ``client`` valid for ``days``; returns the row and the raw token, which
    is never stored and must be shown to the admin once."""
    if not 1 <= days <= MAX_DAYS:
        raise DomainError(f"令牌有效期须在 1 到 {MAX_DAYS} 天之间。", field="days")
    if not client.is_active:
        raise DomainError("客户端已停用，不能签发令牌。")
    prefix = secrets.token_hex(4)
    raw = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken(
        client=client,
        prefix=prefix,
        token_sha256=digest(raw),
        created_by=actor,
        expires_at=timezone.now() + timedelta(days=days),
    )
    token._history_user = actor
    token._change_reason = "签发令牌"
    token.save()
    return token, raw


def revoke_token(token: ApiToken, *, actor) -> ApiToken:
    """Revoke a token at once; a revoked token answers 401 from its next call."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.revoked_by = actor
            token._history_user = actor
            token._change_reason = "吊销令牌"
            token.save()
    return token


def find_token(raw: str) -> ApiToken | None:
    """The token row for a raw token (any state), or None."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    return ApiToken.objects.select_related("client__user").filter(token_sha256=digest(raw)).first()


def refusal(token: ApiToken | None) -> str | None:
    """Why the token cannot be used now (Chinese), or None."""
    if token is None:
        return "令牌无效。"
    if token.revoked_at is not None:
        return "令牌已被吊销。"
    if token.expires_at <= timezone.now():
        return "令牌已过期。"
    if not token.client.is_active:
        return "接口客户端已停用。"
    if not token.client.user.is_active:
        return "接口账号已停用。"
    return None
