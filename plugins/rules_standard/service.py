"""After-sales service rules (客户服务): a serious complaint (严重投诉) goes to the vice
president, named in kam.toml ``[service] vice_president`` (default ``vp``)."""

from __future__ import annotations

from typing import Any

DEFAULT_VICE_PRESIDENT = "vp"


def escalate_complaint(ws: Any, complaint: dict) -> list[str]:
    if complaint.get("severity") != "serious":
        return []
    section = ws.config.get("service") or {}
    who = str(section.get("vice_president") or DEFAULT_VICE_PRESIDENT).strip()
    return [who or DEFAULT_VICE_PRESIDENT]
