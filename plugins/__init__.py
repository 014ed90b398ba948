"""kam's built-in plugins: registered through the ``kam`` entry-point group like any other."""
