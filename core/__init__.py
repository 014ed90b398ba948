"""kam — key-account (大客户) B2B sales from the first lead to the last payment.

Plugins write ``from kam import hookimpl``.
"""

from pluggy import HookimplMarker

__version__ = "0.1.0"

hookimpl = HookimplMarker("kam")

__all__ = ["hookimpl", "__version__"]
