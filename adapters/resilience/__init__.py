"""Decorators over any port: the cache that serves stale answers, the circuit breakers, read tracking."""
