"""A plugin's ``[name]`` table of kam.toml, checked against the schema it declared."""

from __future__ import annotations

from typing import Any

from kam.errors import InputError


def validated(name: str, schema: Any, table: dict[str, Any]) -> dict[str, Any]:
    """``table`` validated by ``schema`` (a pydantic model class, or a function of the
    table returning the settings and raising ``ValueError``): one line naming the key."""
    model_validate = getattr(schema, "model_validate", None)
    if model_validate is not None:
        from pydantic import ValidationError

        try:
            settings = model_validate(table)
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(p) for p in err["loc"])
            key = f"{name}.{where}" if where else name
            raise InputError(f"kam.toml [{name}] {key}: "
                             f"{err['msg'].removeprefix('Value error, ')}") from None
        dumped: dict[str, Any] = settings.model_dump()
        return dumped
    try:
        out = schema(dict(table))
    except (ValueError, TypeError) as exc:
        raise InputError(f"kam.toml [{name}]: {exc}") from None
    if not isinstance(out, dict):
        raise InputError(f"kam.toml [{name}]: the plugin's schema returned "
                         f"{type(out).__name__}, not a table")
    return out
