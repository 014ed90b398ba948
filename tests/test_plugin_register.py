"""Registering a plugin through kam's guards finds exactly the hookimpls pluggy finds in
the plugin itself, in the same order and with the same options (kam.plugin_guard asks
pluggy only about the names that can be hookimpls: issue 15, start-up)."""

from __future__ import annotations

import types
from typing import Any

import pluggy
from kam import hookspecs
from kam.api import Finding, hookimpl
from kam.plugin_discovery import entry_points, load_entry_point
from kam.plugin_manager import Plugins


def _helper() -> None:
    """A plain function of the plugin module: never a hookimpl."""


def _module() -> types.ModuleType:
    """A plugin module with hookimpls, helpers, an imported function, a marker that is
    not a dict, a bound method carrying a marker, and constants."""
    module = types.ModuleType("kam_test_register_plugin")

    @hookimpl(tryfirst=True)
    def kam_stage_exit(ws: Any, opportunity: Any, pipeline: Any, stage: str,
                       target: str) -> list[Finding]:
        return []

    @hookimpl(wrapper=True)
    def kam_qualify_lead(ws: Any, lead: Any, customer: Any) -> Any:
        return (yield)

    def not_a_hook() -> None:
        pass

    not_a_hook.kam_impl = "not options"  # type: ignore[attr-defined]

    class Holder:
        @hookimpl(trylast=True)
        def kam_review_contract(self, ws: Any, contract: Any) -> list[Finding]:
            return []

    module.kam_stage_exit = kam_stage_exit  # type: ignore[attr-defined]
    module.kam_qualify_lead = kam_qualify_lead  # type: ignore[attr-defined]
    module.kam_review_contract = Holder().kam_review_contract  # type: ignore[attr-defined]
    module.not_a_hook = not_a_hook  # type: ignore[attr-defined]
    module.helper = _helper  # type: ignore[attr-defined]
    module.load_entry_point = load_entry_point  # type: ignore[attr-defined]
    module.LIMIT = 5  # type: ignore[attr-defined]
    return module


class Rules:
    """A plugin that is an object: every attribute is a candidate, properties never run."""

    @property
    def boom(self) -> int:
        raise AssertionError("a property was evaluated")

    @hookimpl
    def kam_stage_exit(self, ws: Any, opportunity: Any, pipeline: Any, stage: str,
                       target: str) -> list[Finding]:
        return []


def _table(pm: pluggy.PluginManager) -> list[tuple[str, str, tuple[str, ...], Any]]:
    """Each hook's implementations in call order: plugin, argument names, options."""
    out = []
    for name in sorted(vars(pm.hook)):
        caller = getattr(pm.hook, name)
        for impl in caller.get_hookimpls():
            out.append((name, impl.plugin_name, impl.argnames, dict(impl.opts)))
    return out


def test_guarded_registration_equals_pluggys_own() -> None:
    plugins: list[tuple[str, object]] = [("sample", _module()), ("rules", Rules())]
    for name, value, _ in entry_points("kam"):
        plugins.append((name, load_entry_point(value)))
    ours = Plugins(entry_points=False)
    plain = pluggy.PluginManager("kam")
    plain.add_hookspecs(hookspecs)
    for name, plugin in plugins:
        ours.register(plugin, name)
        plain.register(plugin, name=name)
    assert not ours.failures
    assert _table(ours.pm) == _table(plain)
    assert ours.infos["sample"].hooks == ["kam_qualify_lead", "kam_review_contract",
                                          "kam_stage_exit"]


def test_plugin_records_behave_as_the_dataclasses_they_were() -> None:
    """PluginInfo, Registry and LoadError are plain classes (start-up): the same
    arguments, defaults, repr and equality as the dataclasses they replace."""
    from dataclasses import dataclass, field

    from kam.plugin_registry import PluginInfo, Registry
    from kam.plugin_required import LoadError

    @dataclass
    class PluginInfo_:  # noqa: N801
        name: str
        version: str
        source: str
        hooks: list[str] = field(default_factory=list)

    @dataclass
    class Registry_:  # noqa: N801
        what: str
        items: dict[str, Any] = field(default_factory=dict)
        owners: dict[str, str] = field(default_factory=dict)
        conflicts: list[str] = field(default_factory=list)

    @dataclass
    class LoadError_:  # noqa: N801
        name: str
        error: str
        traceback: str = ""
        version: str = ""
        source: str = ""

    pairs: list[tuple[Any, Any]] = [
        (PluginInfo("a", "1", "package"), PluginInfo_("a", "1", "package")),
        (PluginInfo("a", "1", "file", ["kam_x"]), PluginInfo_("a", "1", "file", ["kam_x"])),
        (Registry("pipeline"), Registry_("pipeline")),
        (Registry("f", {"x": 1}, {"x": "p"}, ["c"]), Registry_("f", {"x": 1}, {"x": "p"}, ["c"])),
        (LoadError("a", "boom"), LoadError_("a", "boom")),
        (LoadError("a", "b", "tb", "1", "file"), LoadError_("a", "b", "tb", "1", "file")),
    ]
    for mine, theirs in pairs:
        assert repr(mine) == type(mine).__name__ + "(" + repr(theirs).split("(", 1)[1]
        assert mine == type(mine)(*[getattr(theirs, f) for f in mine._FIELDS])
        assert mine != theirs and mine.__hash__ is None
    assert PluginInfo("a", "1", "x") != PluginInfo("a", "2", "x")
    assert PluginInfo("a", "1", "x").hooks is not PluginInfo("a", "1", "x").hooks
