"""Real servers for the tests, started from Debian's packages in temporary directories."""
