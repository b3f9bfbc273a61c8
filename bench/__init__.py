"""Benchmarks: ``make bench`` (load.py) and the in-process page timings (pages.py)."""
