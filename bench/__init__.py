"""Benchmarks run by hand; none of them needs a database."""
