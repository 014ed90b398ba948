"""Pydantic models: validation of what users and importers hand the services.

Enum fields accept the English key or a Chinese/English label and store the key;
money fields are ``Decimal`` with two places; dates are ISO.
"""

from kam.models.records import (
    Activity,
    Contact,
    Customer,
    Event,
    Lead,
    Opportunity,
)

__all__ = ["Activity", "Contact", "Customer", "Event", "Lead", "Opportunity"]
