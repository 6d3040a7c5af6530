"""Strict JSON reading for the checking commands and the imports: a repeated key is an error."""

import json


class DuplicateKey(ValueError):
    """A JSON object repeats a key; json.loads would silently keep the last value."""


def no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict:
    """``object_pairs_hook`` for json.loads that refuses a repeated key (DuplicateKey)."""
    seen: dict = {}
    for key, value in pairs:
        if key in seen:
            raise DuplicateKey(json.dumps(key, ensure_ascii=False))
        seen[key] = value
    return seen
