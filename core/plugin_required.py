"""Load failures and the plugins a workspace requires (fail closed).

A workspace lists the plugins its rules depend on in kam.toml (``[plugins] required``);
while one of them is not loaded, kam refuses every change (exit 4) and reads say so.
A load failure keeps the plugin's own traceback for ``--debug`` and one line for tables.
"""

from __future__ import annotations

from kam.plugin_registry import _Record


class LoadError(_Record):
    """Why a plugin is not loaded: one line for tables and refusals, the traceback for
    ``--debug``; version and source when discovery knew them. (A plain class with a
    dataclass's init, repr and equality.)"""

    _FIELDS = ("name", "error", "traceback", "version", "source")

    def __init__(self, name: str, error: str, traceback: str = "", version: str = "",
                 source: str = "") -> None:
        self.name = name
        self.error = error
        self.traceback = traceback
        self.version = version
        self.source = source


def one_line(error: BaseException | str) -> str:
    """An error as one line (a multi-line message must not break a table)."""
    if isinstance(error, BaseException):
        text = str(error) or type(error).__name__
    else:
        text = error
    return " ".join(text.split())


def load_error(name: str, error: BaseException | str, version: str = "",
               source: str = "") -> LoadError:
    trace = ""
    if isinstance(error, BaseException):
        import traceback  # only when a plugin fails: start-up stays light

        trace = "".join(traceback.format_exception(error))
    return LoadError(name, one_line(error), trace, version, source)


def why_missing(name: str, loaded: set[str], errors: dict[str, LoadError],
                disabled: set[str]) -> str | None:
    """Why the required plugin ``name`` is not loaded, or None when it is."""
    if name in loaded:
        return None
    if name in errors:
        return f"failed to load: {errors[name].error}"
    if name in disabled:
        return "disabled (KAM_DISABLE_PLUGINS or [plugins] disabled)"
    return "not installed"


def required_list(value: object) -> list[str]:
    """``[plugins] required`` as a list of names (anything else: no requirement is read
    from it, and the workspace's config check reports it)."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return []
    return [str(v).strip() for v in value if str(v).strip()]
