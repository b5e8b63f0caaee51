"""Settings for the test suite: the in-process fake ERP and nothing written outside tmp folders."""

TESTING = True
SECRET_KEY = "testing-secret-key-not-for-production"
ERP_ADAPTER = "fake"
