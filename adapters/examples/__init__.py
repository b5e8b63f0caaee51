"""Worked examples of adapters for ERPs the project did not design, written on the adapter kit alone."""
