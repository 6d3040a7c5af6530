"""Idempotency keys on creating writes (Idempotency-Key request header).

The key row, the write and the stored answer are one transaction: a retry with the same key and
the same body gets the stored answer and creates nothing; two requests racing with one key meet
at the unique index (user, key), so one creates and the other replays. A write the domain refuses
rolls the key back with it, so the caller may fix the body and retry with the same key.
"""

import hashlib
import json
from collections.abc import Callable

from django.db import IntegrityError, transaction

from ..errors import ApiError, error
from ..models import IdempotencyKey

HEADER = "Idempotency-Key"
MAX_LENGTH = 100


def body_digest(data) -> str:
    return hashlib.sha256(
        json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()
    ).hexdigest()


def run_once(
    request, key: str | None, write: Callable[[], tuple[int, dict]], *, fingerprint=None
) -> tuple[int, dict, bool]:
    """(status, body, replayed): ``write`` runs at most once per (account, key).

    ``fingerprint`` stands for the request body where ``request.data`` cannot (a multipart upload:
    its fields and the SHA-256 of each file).
    """
    if key is None:
        status, body = write()
        return status, body, False
    key = key.strip()
    if not key or len(key) > MAX_LENGTH or not key.isprintable():
        raise ApiError([error(f"幂等键须为 1–{MAX_LENGTH} 个可打印字符。", field=HEADER)])
    digest = body_digest(request.data if fingerprint is None else fingerprint)
    try:
        with transaction.atomic():
            record = IdempotencyKey.objects.create(
                user=request.user,
                key=key,
                method=request.method,
                path=request.path[:300],
                request_sha256=digest,
                response_status=0,
                response_body={},
            )
            status, body = write()
            record.response_status, record.response_body = status, body
            record.save(update_fields=["response_status", "response_body"])
        return status, body, False
    except IntegrityError:
        pass  # the key was used before (or by a request that committed a moment ago)
    record = IdempotencyKey.objects.filter(user=request.user, key=key).first()
    if record is None:  # an IntegrityError of the write itself, not of the key
        raise ApiError([error("保存时数据已被他人同时修改，请重试。", code="conflict")], 409)
    if (
        record.request_sha256 != digest
        or record.path != request.path[:300]
        or record.method != request.method
    ):
        raise ApiError(
            [
                error(
                    "该幂等键已用于另一个请求，请为新请求使用新的幂等键。",
                    field=HEADER,
                    code="idempotency_mismatch",
                )
            ],
            422,
        )
    return record.response_status, record.response_body, True
