"""Helpers shared by the test suite and the benchmarks, never shipped with the product."""
