"""Each plugin's hookimpls, guarded: a failure names its plugin, a result is checked.

Each hookimpl is registered with pluggy through a small guard made at registration
(:meth:`HookGuards._guard`), which also validates what it returns — the one place
results are checked (kam.plugin_results): rules and approvals fail closed, registration
and event hooks are isolated (:meth:`HookGuards._isolated_call`).
"""

from __future__ import annotations

import functools
import inspect
import types
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from typing import Any

import pluggy
from kam.errors import KamError
from kam.plugin_results import ISOLATED_HOOKS, PluginError, check_result, describe, owned


def _candidates(module: object, marker: str) -> list[str]:
    """The names pluggy may find a hookimpl under: for a module, only its functions and
    bound methods that carry the ``marker`` attribute (pluggy's hookimpl options; pluggy
    accepts nothing else, and asking it about each of a module's imports, constants and
    helper functions cost ~0.3 ms a plugin at every start); anything else, every
    attribute, as pluggy would (read without ``getattr``: a property is never run)."""
    if isinstance(module, types.ModuleType):
        return sorted(name for name, value in vars(module).items()
                      if isinstance(value, (types.FunctionType, types.MethodType))
                      and getattr(value, marker, None) is not None)
    return dir(module)


class _Proxy:
    """What pluggy registers for a plugin: its guarded hookimpls as attributes
    (hashable by identity, so pluggy can subset callers by plugin).

    ``dir()`` of it names only those attributes: pluggy asks about each name ``dir``
    gives, through ``inspect.getattr_static``, and the ~25 names every object has
    (``__class__``, ``__eq__``, …; never a hookimpl) were ~60 % of registering a plugin."""

    __name__: str

    def __dir__(self) -> list[str]:
        return sorted(vars(self))


class HookGuards:
    """The guarding part of :class:`kam.plugin_manager.Plugins`."""

    pm: pluggy.PluginManager
    _acting_plugin: str
    _isolated: list[str]

    def _guarded(self, plugin: str, module: object) -> object:
        """What pluggy registers for ``module``: its hookimpls, each through a guard."""
        proxy = _Proxy()
        proxy.__name__ = plugin
        for attr in _candidates(module, self.pm.project_name + "_impl"):
            opts = self.pm.parse_hookimpl_opts(module, attr)
            if opts is None:
                continue
            hook = opts.get("specname") or attr
            setattr(proxy, attr, self._guard(plugin, hook, getattr(module, attr)))
        return proxy

    @contextmanager
    def _acting(self, plugin: str) -> Iterator[None]:
        saved, self._acting_plugin = self._acting_plugin, plugin
        try:
            yield
        finally:
            self._acting_plugin = saved

    def _failed(self, plugin: str, hook: str, exc: BaseException) -> None:
        """Record the failure of an isolated hook (registration or event)."""
        self._isolated.append(str(PluginError(plugin, hook, exc)))

    def _guard(self, plugin: str, hook: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        """Wrap one hookimpl: name ``plugin`` in any failure, validate its result."""
        isolated = hook in ISOLATED_HOOKS

        if inspect.isgeneratorfunction(fn):
            return self._guard_wrapper(plugin, hook, fn, isolated)

        @functools.wraps(fn)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            with self._acting(plugin):
                try:
                    value = fn(*args, **kwargs)
                except Exception as exc:
                    if isolated:
                        self._failed(plugin, hook, exc)
                        return None
                    if isinstance(exc, KamError):
                        raise  # a rule refusing on purpose, or a failure already named
                    raise PluginError(plugin, hook, exc) from exc
            try:
                return owned(check_result(hook, value), plugin)
            except TypeError as exc:
                raise PluginError(plugin, hook, exc) from None

        return guarded

    def _guard_wrapper(self, plugin: str, hook: str, fn: Callable[..., Any],
                       isolated: bool) -> Callable[..., Any]:
        """The guard of a ``wrapper=True`` (or old-style ``hookwrapper=True``) hookimpl:
        a generator that steps the plugin's generator, passing on what pluggy sends and
        throws, so the wrapper sees and may change the result as in pluggy."""
        new_style = not getattr(fn, "kam_impl", {}).get("hookwrapper", False)

        @functools.wraps(fn)
        def guarded(*args: Any, **kwargs: Any) -> Generator[Any, Any, Any]:
            gen = fn(*args, **kwargs)
            sent: Any = None
            thrown: BaseException | None = None
            started = False
            while True:
                with self._acting(plugin):
                    try:
                        step = gen.throw(thrown) if thrown is not None else gen.send(sent)
                    except StopIteration as stop:
                        value = stop.value
                        break
                    except Exception as exc:
                        if not isolated:
                            if isinstance(exc, KamError):
                                raise
                            raise PluginError(plugin, hook, exc) from exc
                        self._failed(plugin, hook, exc)
                        if not started:  # failed before its yield: step aside
                            return (yield)
                        if thrown is not None:
                            raise thrown from None
                        return sent
                started = True
                try:
                    sent, thrown = (yield step), None
                except GeneratorExit:
                    gen.close()
                    raise
                except BaseException as exc:
                    sent, thrown = None, exc
            if not new_style or isolated:
                return value
            return self._check_all(plugin, hook, value)

        return guarded

    def _check_all(self, plugin: str, hook: str, value: object) -> object:
        """A wrapper's result for the whole call: a list of per-implementation results."""
        if not isinstance(value, list):
            raise PluginError(plugin, hook, f"returned {describe(value)}, not a list of "
                              "results (one per implementation)")
        try:
            return [owned(check_result(hook, part), plugin) for part in value]
        except TypeError as exc:
            raise PluginError(plugin, hook, exc) from None

    def _isolated_call(self, hook: str, **kwargs: Any) -> list[str]:
        """Call an isolated hook through pluggy; one message per failing plugin."""
        mark = len(self._isolated)
        getattr(self.pm.hook, hook)(**kwargs)
        errors = self._isolated[mark:]
        del self._isolated[mark:]
        return errors
