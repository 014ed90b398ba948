"""What plugin hooks may return, and the error that names a failing plugin.

The hook families decide how a failure is handled: rules and approvals fail closed
(:class:`PluginError`, the change is refused); registration and events are isolated
(the failure is recorded, the other plugins still run). :func:`check_result` is the one
place an implementation's result is validated.
"""

from __future__ import annotations

from kam.errors import RefusedError
from kam.findings import Finding

RULE_HOOKS = frozenset({"kam_qualify_lead", "kam_stage_exit", "kam_review_contract",
                        "kam_record_bid", "kam_customer_anomalies",
                        "kam_review_closed_deal"})
"""Hooks returning ``list[Finding] | None`` per implementation."""

LIST_HOOKS = frozenset({"kam_required_approvals", "kam_escalate_complaint",
                        "kam_customer_matrix"})
"""Hooks returning ``list[str] | None`` (role, user or matrix key names) per
implementation."""

EVENT_HOOKS = frozenset({
    "kam_event_committed", "kam_stage_advanced", "kam_opportunity_closed",
    "kam_contract_event", "kam_receivable_event", "kam_service_event",
    "kam_complaint_event",
})
REGISTRATION_HOOKS = frozenset({
    "kam_register_storage", "kam_register_formats", "kam_register_reports",
    "kam_register_pipelines", "kam_register_fields", "kam_register_commands",
    "kam_register_config",
})
ISOLATED_HOOKS = EVENT_HOOKS | REGISTRATION_HOOKS
"""A failing implementation of these is recorded and skipped; the others still run."""


class PluginError(RefusedError):
    """A plugin's hook raised, or returned something its hook does not allow.

    Exit code 1 (refused): a rule or approval hook that fails refuses the change.
    """

    def __init__(self, plugin: str, hook: str, error: BaseException | str) -> None:
        super().__init__(f"plugin {plugin!r} failed in {hook}: {error}")
        self.plugin = plugin
        self.hook = hook
        self.error = error

    def finding(self) -> Finding:
        """The ``block`` finding that shows this failure with the other rule results."""
        return Finding("block", "plugin_error", str(self), self.plugin)


def describe(value: object) -> str:
    return "None" if value is None else type(value).__name__


def check_result(hook: str, value: object) -> object:
    """What one implementation of ``hook`` returned, checked: the one place results are
    validated. Returns the value to hand on; raises ``TypeError`` naming what was wrong.

    - rules: ``None`` (no findings) or a list of :class:`Finding`;
    - approvals: ``None`` (no roles) or a list of non-empty role names;
    - anomaly candidates: ``None`` or ``{flag type: days}`` (whole days, 0 or more);
    - registration and events: the result is ignored (``None`` is handed on).
    """
    if hook in RULE_HOOKS:
        if value is None:
            return None
        if not isinstance(value, list):
            raise TypeError(f"returned {describe(value)}, not a list of Findings")
        for item in value:
            if not isinstance(item, Finding):
                raise TypeError(f"returned a list holding {describe(item)}, not a Finding")
        return value
    if hook == "kam_anomaly_candidates":
        if value is None:
            return None
        if not isinstance(value, dict) or not all(
                isinstance(k, str) and type(v) is int and v >= 0 for k, v in value.items()):
            raise TypeError(f"returned {value!r}, not a mapping of flag types to days")
        return value
    if hook in LIST_HOOKS:
        if value is None:
            return None
        if not isinstance(value, list):
            raise TypeError(f"returned {describe(value)}, not a list of role names")
        for item in value:
            if not isinstance(item, str) or not item.strip():
                raise TypeError(f"returned a list holding {item!r}, not a role name")
        return value
    return None


def owned(value: object, plugin: str) -> object:
    """Findings without a plugin are credited to ``plugin``."""
    if isinstance(value, list):
        return [
            Finding(f.severity, f.code, f.message, plugin)
            if isinstance(f, Finding) and not f.plugin else f
            for f in value
        ]
    return value
