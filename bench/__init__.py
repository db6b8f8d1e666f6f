"""Benchmark kit of kazkg (issue #7): synthetic corpora and graphs, servers, load, reports.

Nothing here is imported by graph/ or server/; run it with `make bench` or `python -m bench.run`.
"""
