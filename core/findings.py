"""Findings: what rule hooks return (qualification, stage exit, contract review)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

SEVERITIES = ("block", "warn", "info")


@dataclass(frozen=True)
class Finding:
    """One rule result. ``block`` refuses the change; ``warn``/``info`` are shown."""

    severity: str
    code: str
    message: str
    plugin: str = ""

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}, not {self.severity!r}")

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


def english_line(finding: Finding) -> str:
    """A finding as printed under a refusal or a change in English: ``  warn: message
    [plugin]`` (kam.messages.finding_line gives the same line for ``en``; the CLI prints
    English with this, without importing the message catalogue)."""
    origin = f" [{finding.plugin}]" if finding.plugin else ""
    return f"  {finding.severity}: {finding.message}{origin}"


def block(code: str, message: str) -> Finding:
    return Finding("block", code, message)


def warn(code: str, message: str) -> Finding:
    return Finding("warn", code, message)


def info(code: str, message: str) -> Finding:
    return Finding("info", code, message)


def blocking(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "block"]
