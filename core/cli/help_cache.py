"""``kam --help`` from a cache: the text typer rendered last time, while nothing it
was made from has changed.

Why: typer, click and pluggy alone cost more than half of ``kam --help``'s time, yet
the top-level help changes only when kam, a plugin or the environment changes. The
first ``kam --help`` renders it through typer as always (:func:`render`), and keeps
the text with a fingerprint of everything it came from; later ones print it without
importing typer (:func:`serve`). The fingerprint (:func:`_fingerprint`) is:

- the interpreter, ``sys.path`` and each of its folders' stat (a package installed or
  removed changes its folder: the plugin set, typer's version);
- every non-standard-library module loaded while rendering (kam, typer, click,
  pluggy, each plugin and what it imports): path, size, mtime and mode, so editing
  an editable install's plugin is seen;
- the environment variables kam, typer, click and the help layout read (``KAM_*``,
  locale, ``COLUMNS``, config and data folders, ...), the terminal's size, the
  working folder, and the stat of the workspace's kam.toml.

Not cached (rendered each time, as before): a workspace with a ``plugins_dir``,
``KAM_PLUGINS_DIR``, any plugin load failure or warning, anything on stderr, and
``KAM_HELP_CACHE=0``. The cache lives in the user's
cache folder (``XDG_CACHE_HOME``, else ``~/.cache``; ``LOCALAPPDATA`` on Windows),
one file, replaced whole; a cache that cannot be read or written is ignored.
tests/test_help_cache.py checks the cached text is typer's, with a plugin that adds
commands, and that changing a plugin changes it.
"""

from __future__ import annotations

import marshal
import os
import sys

from kam.cache_files import cache_folder, write_whole
from kam.cache_files import file_stat as _stat

TYPE_CHECKING = False  # not typing's: the cached path imports as little as it can
if TYPE_CHECKING:
    from typing import Any

#: bump when the fingerprint or the file layout changes
_FORMAT = 1

#: environment variables (exact names, or prefixes ending in ``_``) that may change
#: the help text: kam's own, typer/click's, the layout's and the folders kam reads
_ENV_PREFIXES = ("KAM_", "TYPER_", "_TYPER_", "CLICK_", "XDG_", "LC_")
_ENV_NAMES = ("HOME", "APPDATA", "LOCALAPPDATA", "COLUMNS", "LINES", "LANG", "LANGUAGE",
              "TERM", "NO_COLOR", "FORCE_COLOR", "PYTHONIOENCODING", "PYTHONUTF8")


def _cache_file() -> str | None:
    folder = cache_folder()
    return None if folder is None else os.path.join(folder, f"help-{_FORMAT}.marshal")


def _terminal() -> tuple[int, int] | None:
    try:
        return tuple(os.get_terminal_size(sys.__stdout__.fileno()))  # type: ignore[union-attr,return-value]
    except (AttributeError, ValueError, OSError):
        return None


def _context() -> tuple[Any, ...] | None:
    """Everything but the modules' files, or None when the help must not be cached
    (plugin settings in kam.toml, a plugins folder, the cache switched off)."""
    env = os.environ
    if env.get("KAM_HELP_CACHE") == "0" or env.get("KAM_PLUGINS_DIR"):
        return None
    from kam.plugin_discovery import mentions_plugins, workspace_folder

    toml = os.path.join(str(workspace_folder(["--help"])), "kam.toml")
    try:
        with open(toml, encoding="utf-8") as fh:
            text = fh.read()
    except (OSError, UnicodeDecodeError):
        text = ""
    if mentions_plugins(text) and not _cacheable(text):
        return None
    names = sorted(k for k in env if k.startswith(_ENV_PREFIXES) or k in _ENV_NAMES)
    return (
        _FORMAT, sys.version, sys.executable, tuple(sys.path), os.getcwd(),
        tuple((k, env[k]) for k in names), _terminal(), (toml, _stat(toml)),
        tuple((p, _stat(p or ".")) for p in sys.path),
    )


def _cacheable(toml: str) -> bool:
    """A kam.toml with plugin settings: ``[plugins]`` (disabled, required) is covered
    by the file's stat; a ``plugins_dir`` is not (its files, their owners, the trust
    list), nor is a file tomllib cannot read."""
    import tomllib

    try:
        return not tomllib.loads(toml).get("plugins_dir")
    except tomllib.TOMLDecodeError:
        return False


def serve() -> bool:
    """Print the cached top-level help and return True, or return False (no cache, or
    something it was made from has changed)."""
    path = _cache_file()
    if path is None:
        return False
    try:
        with open(path, "rb") as fh:
            context, files, text = marshal.load(fh)
    except (OSError, EOFError, ValueError, TypeError):
        return False
    if not isinstance(text, str) or context != _context():
        return False
    for file, stat in files:
        if _stat(file) != stat:
            return False
    sys.stdout.write(text)
    sys.stdout.flush()
    return True


def _module_files() -> tuple[tuple[str, Any], ...]:
    """The loaded modules' files outside the standard library (which ``sys.version``
    and the interpreter's path stand for)."""
    stdlib = os.path.dirname(os.__file__)
    files = set()
    for module in list(sys.modules.values()):
        file = getattr(module, "__file__", None)
        if isinstance(file, str) and not file.startswith(stdlib):
            files.add(file)
    return tuple((f, _stat(f)) for f in sorted(files))


def render(run: Any) -> None:
    """Render ``kam --help`` through typer (``run(plugins)`` runs the app), print it,
    and keep it when it may be served from the cache next time."""
    import io

    context = _context()
    from kam.plugin_manager import Plugins

    pm = Plugins()
    out, err = io.StringIO(), io.StringIO()
    real_out, real_err = sys.stdout, sys.stderr
    code: Any = 0
    sys.stdout, sys.stderr = out, err
    try:
        run(pm)
    except SystemExit as exc:
        code = exc.code
    finally:
        sys.stdout, sys.stderr = real_out, real_err
    text = out.getvalue()
    real_out.write(text)
    real_out.flush()
    real_err.write(err.getvalue())
    if (context is not None and code in (0, None) and not err.getvalue()
            and not pm.failures and not pm.load_errors and not pm.warnings):
        _store(context, _module_files(), text)
    if code not in (0, None):
        raise SystemExit(code)


def _store(context: tuple[Any, ...], files: tuple[tuple[str, Any], ...], text: str) -> None:
    path = _cache_file()
    if path is not None:
        write_whole(path, (context, files, text))
