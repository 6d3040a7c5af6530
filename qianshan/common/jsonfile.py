"""Strict, bounded JSON reading for the checking commands and the imports.

- a repeated key is an error (json.loads would silently keep the last value);
- the text is at most ``settings.JSON_MAX_BYTES``, nested at most ``JSON_MAX_DEPTH`` deep, and a
  number has at most ``JSON_MAX_NUMBER_CHARS`` characters — each checked before the value is
  built, so a deeply nested or a 5 000-digit input is a message, never a RecursionError or a
  ValueError from int();
- NaN and Infinity are refused (they are not JSON).
"""

import json
import re

from django.conf import settings


class DuplicateKey(ValueError):
    """A JSON object repeats a key; json.loads would silently keep the last value."""


class JsonTooLarge(ValueError):
    """The JSON is beyond one of the limits; ``str()`` is the Chinese message naming the limit."""


def no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict:
    """``object_pairs_hook`` for json.loads that refuses a repeated key (DuplicateKey)."""
    seen: dict = {}
    for key, value in pairs:
        if key in seen:
            raise DuplicateKey(json.dumps(key, ensure_ascii=False))
        seen[key] = value
    return seen


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def check_json_limits(text: str) -> None:
    """JsonTooLarge when ``text`` is longer or deeper than the limits allow."""
    max_bytes = _limit("JSON_MAX_BYTES", 2 * 1024 * 1024)
    if len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        raise JsonTooLarge(f"JSON 内容超过 {max_bytes // 1024} KB 的上限，请分成几个文件导入。")
    max_depth = _limit("JSON_MAX_DEPTH", 20)
    depth = 0
    for bracket in _BRACKET.finditer(_STRING.sub('""', text)):
        depth += 1 if bracket.group() in "[{" else -1
        if depth > max_depth:
            raise JsonTooLarge(f"JSON 嵌套超过 {max_depth} 层的上限。")


def _number(kind):
    max_chars = _limit("JSON_MAX_NUMBER_CHARS", 30)

    def parse(text: str):
        if len(text) > max_chars:
            raise JsonTooLarge(f"JSON 中的数字 {text[:12]}… 超过 {max_chars} 位的上限。")
        return kind(text)

    return parse


def _no_constant(name: str):
    raise JsonTooLarge(f"JSON 中不允许 {name}。")


def loads(text: str):
    """Bounded, strict ``json.loads``: JsonTooLarge, DuplicateKey or json.JSONDecodeError on bad input."""
    check_json_limits(text)
    return json.loads(
        text,
        object_pairs_hook=no_duplicate_keys,
        parse_int=_number(int),
        parse_float=_number(float),
        parse_constant=_no_constant,
    )
