"""Every error of the API in one shape:

    {"errors": [{"field": "deadline", "code": "invalid", "message": "……", "row": 2}]}

``field`` is null for an error of the whole request; ``row`` (1-based) appears only for the rows
of a batch. A domain refusal (DomainError) is a 400 with code "refused" and the same Chinese
message the page shows.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from qianshan.common.errors import DomainError

MESSAGES = {
    exceptions.NotAuthenticated: "未提供身份凭证：请在 Authorization 请求头中提供令牌，或先登录。",
    exceptions.NotFound: "未找到。",
    exceptions.ParseError: "请求体不是有效的 JSON。",
    exceptions.MethodNotAllowed: "不支持此请求方法。",
    exceptions.UnsupportedMediaType: "不支持的请求内容类型，请使用 application/json。",
    exceptions.NotAcceptable: "无法按 Accept 请求头要求的格式返回。",
}


class ApiError(exceptions.APIException):
    """An error whose list of {field, code, message[, row]} is already built."""

    def __init__(self, errors: list[dict], status_code: int = status.HTTP_400_BAD_REQUEST):
        super().__init__(detail=errors[0]["message"] if errors else "")
        self.errors = errors
        self.status_code = status_code


def error(message: str, *, field: str | None = None, code: str = "invalid", row: int | None = None) -> dict:
    item = {"field": field, "code": code, "message": message}
    if row is not None:
        item["row"] = row
    return item


def refused(exc: DomainError) -> ApiError:
    return ApiError([error(exc.message, field=exc.field, code="refused")])


def _flatten(detail, codes, prefix: str | None = None) -> list[dict]:
    """DRF's nested ValidationError detail → a flat list of {field, code, message}."""
    out = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            if isinstance(key, int):  # a ListSerializer's errors are keyed by the item's index
                field = f"{prefix}[{key}]" if prefix else f"[{key}]"
            else:
                name = None if key in ("non_field_errors", "detail") else key
                field = f"{prefix}.{name}" if prefix and name else (name or prefix)
            out += _flatten(value, codes.get(key) if isinstance(codes, dict) else codes, field)
    elif isinstance(detail, list):
        for i, value in enumerate(detail):
            sub = codes[i] if isinstance(codes, list) and i < len(codes) else codes
            if isinstance(value, dict | list):
                out += _flatten(value, sub, f"{prefix}[{i}]" if prefix else str(i))
            else:
                out += _flatten(value, sub, prefix)
    else:
        out.append(error(str(detail), field=prefix, code=codes if isinstance(codes, str) else "invalid"))
    return out


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        exc = refused(exc)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None  # a real bug: Django's 500 (logged), never a traceback to the caller
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if isinstance(exc, exceptions.Throttled):
        wait = int(exc.wait or 1)
        headers["Retry-After"] = str(wait)
        errors = [error(f"请求过于频繁，请 {wait} 秒后再试。", code="throttled")]
    elif isinstance(exc, ApiError):
        errors = exc.errors
    elif isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail, exc.get_codes())
    else:
        message = MESSAGES.get(type(exc)) or str(exc.detail)
        errors = [error(message, code=exc.get_codes() if isinstance(exc.get_codes(), str) else "error")]
    set_rollback()
    return Response({"errors": errors}, status=exc.status_code, headers=headers)
