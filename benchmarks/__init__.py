"""Reproducible performance runs: ``python -m benchmarks.run`` (see docs/performance.md)."""
