"""Custom fields declared by plugins: parsing ``--field key=value``, clearing, labels in
tables, and fields required from a stage on.

A declaration (:class:`FieldSpec`) comes from ``kam_register_fields``; undeclared keys
are kept as text, so a team can start before writing a plugin. ``key=`` (nothing after
the ``=``) clears a field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from kam.errors import InputError, KamError
from kam.findings import Finding
from kam.plain import FrozenRecord
from kam.text import check as check_text

if TYPE_CHECKING:
    from kam.pipeline import Pipeline
    from kam.workspace import Workspace


class FieldSpec(FrozenRecord):
    """One declared field: how to parse it, its labels, and the stage (of the deal's
    pipeline) from which a deal must have it. A frozen record with a dataclass's repr,
    equality and hash (kam.plain; tested against a dataclass twin): this module loads
    with every write, and making the dataclass cost each ~0.3 ms."""

    _FIELDS = ("parse", "label", "label_en", "required_from", "plugin")
    parse: Callable[[str], Any]
    label: str
    label_en: str
    required_from: str | None
    plugin: str

    def __init__(self, parse: Callable[[str], Any], label: str = "", label_en: str = "",
                 required_from: str | None = None, plugin: str = "") -> None:
        self.__dict__.update(parse=parse, label=label, label_en=label_en,
                             required_from=required_from, plugin=plugin)

    def shown(self, name: str, lang: str) -> str:
        """The field's name in a table: its label in the workspace's language."""
        if lang == "en":
            return self.label_en or self.label or name
        if lang == "zh-Hant" and self.label:
            from kam.i18n import hant

            return hant(self.label)
        return self.label or self.label_en or name


def declared(ws: Workspace) -> dict[str, FieldSpec]:
    """``kind.name`` → declaration, from every plugin."""
    return dict(ws.plugins.fields().items)


def parse(ws: Workspace, kind: str, pairs: Iterable[str]) -> dict[str, Any]:
    """``--field key=value`` pairs, validated by the plugin that declared the field;
    ``key=`` clears the field (``None``, removed by :func:`merge`)."""
    specs = declared(ws)
    out: dict[str, Any] = {}
    for pair in pairs:
        key, sep, text = pair.partition("=")
        key = key.strip()
        if not sep or not key or not key.replace("_", "").replace("-", "").isalnum():
            raise InputError(f"--field: {pair!r} must look like key=value")
        if text == "":
            out[key] = None
            continue
        spec = specs.get(f"{kind}.{key}")
        if spec is None:
            out[key] = check_text(text, f"--field {key}")
            continue
        try:
            out[key] = spec.parse(text)
        except KamError as exc:  # kam.api's parsers (parse_money, …) name their field
            raise InputError(f"--field {key}: {str(exc).split(': ', 1)[-1]}") from None
        except (ValueError, TypeError, ArithmeticError) as exc:
            raise InputError(f"--field {key}: {exc}") from None
        _check_field_value(key, out[key])
    return out


def _check_field_value(key: str, value: Any) -> None:
    """What a plugin's parser returns is stored as JSON: no NaN, no control characters."""
    import math
    from decimal import Decimal

    if isinstance(value, str):
        check_text(value, f"--field {key}")
    elif isinstance(value, float | Decimal) and not math.isfinite(value):
        raise InputError(f"--field {key}: {value} is not a number")
    elif isinstance(value, list | tuple):
        for v in value:
            _check_field_value(key, v)
    elif isinstance(value, dict):
        for k, v in value.items():
            _check_field_value(key, k)
            _check_field_value(key, v)



def merge(current: dict[str, Any] | None, given: dict[str, Any]) -> dict[str, Any]:
    """A record's fields after an edit: given values replace, ``None`` clears."""
    out = {**(current or {}), **given}
    return {k: v for k, v in out.items() if v is not None}


def labelled(ws: Workspace, kind: str, fields: dict[str, Any]) -> dict[str, Any]:
    """A record's custom fields keyed by their label in the workspace's language."""
    specs = declared(ws)
    out: dict[str, Any] = {}
    for name, value in fields.items():
        spec = specs.get(f"{kind}.{name}")
        out[spec.shown(name, ws.lang) if spec else name] = value
    return out


def required_missing(ws: Workspace, kind: str, record: dict[str, Any], pipeline: Pipeline,
                     target: str) -> list[Finding]:
    """Fields required from a stage at or before ``target`` (in ``pipeline``) that the
    record lacks: one ``block`` each, credited to the declaring plugin."""
    if target not in {s.key for s in pipeline.stages}:
        return []
    reach = pipeline.index(target)
    have = record.get("fields") or {}
    found = []
    for key, spec in declared(ws).items():
        field_kind, _, name = key.partition(".")
        if field_kind != kind or not spec.required_from or have.get(name) not in (None, ""):
            continue
        try:
            start = pipeline.index(spec.required_from)
        except (InputError, ValueError):
            continue  # a stage of another pipeline
        if reach >= start:
            stage = pipeline.stage(spec.required_from).label(ws.lang)
            found.append(Finding(
                "block", "field_required",
                f"{spec.shown(name, ws.lang)} ({name}) is required from {stage} on "
                f"(--field {name}=...)", spec.plugin))
    return found
