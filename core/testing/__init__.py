"""Test helpers for plugin authors: the storage conformance suite.

A backend proves it implements the storage contract by subclassing one class::

    from kam.testing import StorageConformance

    class TestMyBackend(StorageConformance):
        def open_storage(self, path):
            return MyStorage(path)

Importing this package needs pytest (a test dependency), never at kam's run time.
"""

from kam.testing.storage import StorageConformance

__all__ = ["StorageConformance"]
