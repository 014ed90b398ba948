"""Test helpers for plugin authors: a CLI runner with the plugin under test registered
(:class:`KamRunner`), kam's pytest fixtures (``kam.testing.pytest_plugin``, loaded by
pytest through the ``pytest11`` entry point: ``kam_cli``, ``kam_sample_data``,
``assert_refused``, ...; docs/plugins.md), and the storage conformance suite.

A backend proves it implements the storage contract by subclassing one class::

    from kam.testing import StorageConformance

    class TestMyBackend(StorageConformance):
        def open_storage(self, path):
            return MyStorage(path)

Importing this package needs pytest (a test dependency), never at kam's run time.
"""

from kam.testing.cli import CliResult, KamRunner
from kam.testing.storage import StorageConformance

__all__ = ["CliResult", "KamRunner", "StorageConformance"]
