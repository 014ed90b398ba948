"""kam — key-account (大客户) B2B sales from the first lead to the last payment.

Plugins import from :mod:`kam.api`, the one public module (``from kam.api import
hookimpl``); ``kam.hookimpl`` is the same marker.
"""

from pluggy import HookimplMarker

__version__ = "0.1.0"

hookimpl = HookimplMarker("kam")

__all__ = ["hookimpl", "__version__"]
