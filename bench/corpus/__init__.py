"""
Precision and recall of glossary links on a realistic corpus; run it with
`python -m bench.corpus`.
"""
