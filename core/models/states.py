"""Contract lifecycle states (合同状态), kept apart from the pydantic models so read paths
and rules can use them without importing pydantic."""

STATUSES = ("draft", "in_review", "approved", "signed", "executing", "closed", "terminated")
UNSIGNED = ("draft", "in_review", "approved")
SIGNED = ("signed", "executing", "closed")
ENDED = ("closed", "terminated")
