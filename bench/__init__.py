"""`make bench`: the portal under gunicorn and wrk, against anchors measured in the same run (BENCHMARKS.md)."""
