"""
Benchmark of glossary auto-linking; run it with `python -m bench.linking`.
"""
