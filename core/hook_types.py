"""The ``register`` callbacks the registration hooks receive, as Protocols (public through
:mod:`kam.api`). Only annotations use them, so start-up never builds these classes."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from kam.pipeline import Pipeline
    from kam.reports import Report
    from kam.scoring import EvaluationModel
    from kam.storage import Storage
    from kam.workspace import Workspace


class StorageFactory(Protocol):
    """Opens (creating if needed) a backend's data inside the workspace folder."""

    def __call__(self, path: Path, config: dict[str, Any], /) -> Storage: ...


class RegisterStorage(Protocol):
    """``register(name, factory)`` of :func:`kam_register_storage`."""

    def __call__(self, name: str, factory: StorageFactory, /) -> None: ...


class RenderFormat(Protocol):
    """Renders a report in one output format: text, or bytes for a binary format (such as
    xlsx), which kam writes only to ``--output``."""

    def __call__(self, report: Report, ws: Workspace, /) -> str | bytes: ...


class RegisterFormat(Protocol):
    """``register(name, render)`` of :func:`kam_register_formats`."""

    def __call__(self, name: str, render: RenderFormat, /) -> None: ...


class BuildReport(Protocol):
    """Builds a report from the workspace and the report command's filters."""

    def __call__(self, ws: Workspace, **options: Any) -> Report: ...


class RegisterReport(Protocol):
    """``register(name, build, description)`` of :func:`kam_register_reports`."""

    def __call__(self, name: str, build: BuildReport, description: str = "", /) -> None: ...


class RegisterPipeline(Protocol):
    """``register(key, pipeline)`` of :func:`kam_register_pipelines`."""

    def __call__(self, key: str, pipeline: Pipeline, /) -> None: ...


class RegisterEvaluationModel(Protocol):
    """``register(key, model)`` of :func:`kam_register_evaluation_models`."""

    def __call__(self, key: str, model: EvaluationModel, /) -> None: ...


class ParseField(Protocol):
    """Validates a ``--field name=value`` text; returns the stored (JSON) value or raises
    ``ValueError``."""

    def __call__(self, text: str, /) -> Any: ...


class RegisterField(Protocol):
    """``register(kind, name, parse, label="", *, label_en="", required_from=None)`` of
    :func:`kam_register_fields`."""

    def __call__(self, kind: str, name: str, parse: ParseField, label: str = "", /, *,
                 label_en: str = "", required_from: str | None = None) -> None: ...


class RegisterConfig(Protocol):
    """``register(name, schema)`` of :func:`kam_register_config`: ``schema`` is a pydantic
    model class or a function ``dict -> dict``."""

    def __call__(self, name: str, schema: Any, /) -> None: ...
