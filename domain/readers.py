"""Small typed readers for JSON documents, each naming the field it reads, so
that a bad value is reported as `tasks[b].duration: expected a number`."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from domain.errors import ValidationError


def as_mapping(data: Any, where: str, allowed: set[str]) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise ValidationError.at(where or "document", "expected a JSON object")
    if "id" in allowed and isinstance(data.get("id"), str) and data["id"]:
        where = f"{where.partition('[')[0]}[{data['id']}]"
    unknown = sorted(set(data) - allowed)
    if unknown:
        prefix = f"{where}." if where else ""
        raise ValidationError.at(
            f"{prefix}{unknown[0]}",
            f"unknown field (allowed: {', '.join(sorted(allowed))})",
        )
    return data


def read_items(
    doc: Mapping[str, Any], key: str, parse: Any, required: bool = False
) -> list[Any]:
    items = doc.get(key)
    if items is None:
        if required:
            raise ValidationError.at(key, "required, a list")
        return []
    if not isinstance(items, list):
        raise ValidationError.at(key, "expected a list")
    return [parse(item, f"{key}[{index}]") for index, item in enumerate(items)]


def as_number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError.at(where, f"expected a number, got {value!r}")
    if value != value or value in (float("inf"), float("-inf")):
        raise ValidationError.at(where, "must be a finite number")
    return value


def as_numbers(value: Any, where: str) -> tuple[float, ...]:
    if not isinstance(value, list):
        raise ValidationError.at(where, f"expected a list of numbers, got {value!r}")
    return tuple(as_number(item, f"{where}[{k}]") for k, item in enumerate(value))


def as_optional_number(value: Any, where: str, integer: bool = False) -> Any:
    if value is None:
        return None
    return as_integer(value, where) if integer else as_number(value, where)


def as_integer(value: Any, where: str, minimum: int | None = 0) -> int:
    number = as_number(value, where)
    if number != int(number):
        raise ValidationError.at(where, f"expected a whole number, got {value!r}")
    if minimum is not None and number < minimum:
        raise ValidationError.at(where, f"must be >= {minimum}, got {value!r}")
    return int(number)


def as_boolean(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise ValidationError.at(where, f"expected true or false, got {value!r}")
    return value


def as_list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise ValidationError.at(where, "expected a list")
    return value


def as_string(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise ValidationError.at(where, f"expected a string, got {value!r}")
    return value


def as_identifier(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError.at(where, f"required, a non-empty string, got {value!r}")
    return value


def as_int_map(value: Any, where: str) -> dict[str, int]:
    if not isinstance(value, Mapping):
        raise ValidationError.at(where, "expected a JSON object")
    return {
        as_identifier(key, where): as_integer(amount, f"{where}.{key}")
        for key, amount in value.items()
    }


def as_number_map(value: Any, where: str) -> dict[str, float]:
    """Names to positive-or-zero numbers (checked further by validation)."""
    if not isinstance(value, Mapping):
        raise ValidationError.at(where, "expected a JSON object")
    return {
        as_identifier(key, where): as_number(amount, f"{where}.{key}")
        for key, amount in value.items()
    }


def as_custom_fields(value: Any, where: str) -> dict[str, str | int | float | bool]:
    """Custom fields as other tools hold them: name -> text, number or flag."""
    if not isinstance(value, Mapping):
        raise ValidationError.at(where, "expected a JSON object")
    for key, item in value.items():
        as_identifier(key, where)
        if not isinstance(item, str | int | float | bool):
            raise ValidationError.at(
                f"{where}.{key}", f"expected text, a number or a flag, got {item!r}"
            )
    return dict(value)


def as_date(value: Any, where: str) -> date:
    try:
        return date.fromisoformat(as_string(value, where))
    except ValueError:
        raise ValidationError.at(
            where, f"expected an ISO date, got {value!r}"
        ) from None


def as_optional_date(value: Any, where: str) -> date | None:
    return None if value is None else as_date(value, where)
