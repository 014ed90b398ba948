"""Pydantic models: validation of what users and importers hand the services.

Enum fields accept the English key or a Chinese/English label and store the key;
money fields are ``Decimal`` with two places; dates are ISO. The models load on first
use (PEP 562), so commands that only read never import pydantic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kam.models.activity import Activity
    from kam.models.records import Contact, Customer, Lead, Opportunity

__all__ = ["Activity", "Contact", "Customer", "Lead", "Opportunity"]


def __getattr__(name: str) -> Any:
    if name == "Activity":
        from kam.models.activity import Activity

        return Activity
    if name in __all__:
        from kam.models import records

        return getattr(records, name)
    raise AttributeError(f"module 'kam.models' has no attribute {name!r}")
