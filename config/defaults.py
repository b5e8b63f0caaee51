"""Defaults for every setting. Each key can be overridden by an IBOK_-prefixed environment variable
(IBOK_ERP_URL, IBOK_ERP_TIMEOUT, ...); values are read as JSON where they parse, else as text."""

# Signing key for sessions and tokens. Production refuses to start with this value.
SECRET_KEY = "insecure-default-key-change-me"

# --- The ERP -----------------------------------------------------------------------------------
# Which adapter talks to the ERP: "soap", "rest", "fake" (the demo dataset, in-process), the name of
# an entry point in the group "ibok.adapters", or a dotted path "package.module:ClassName".
ERP_ADAPTER = "fake"
# The ERP endpoint: the SOAP service address, or the REST base URL (ending in /api/v1 or similar).
ERP_URL = ""
# Seconds to wait for a connection, for each gap between bytes, and for a whole reply.
ERP_CONNECT_TIMEOUT = 3.05
ERP_TIMEOUT = 10.0
ERP_DEADLINE = 15.0
# Replies larger than this many bytes are refused (invoice PDFs included).
ERP_MAX_RESPONSE_BYTES = 20 * 1024 * 1024
# TLS: verification is on; point ERP_CA_BUNDLE at the utility's CA file if the ERP uses a private CA.
ERP_VERIFY_TLS = True
ERP_CA_BUNDLE = None
# Mutual TLS: client certificate and key files (PEM).
ERP_CLIENT_CERT = None
ERP_CLIENT_KEY = None
# HTTP basic authentication, for either adapter.
ERP_USERNAME = None
ERP_PASSWORD = None
# WS-Security UsernameToken, SOAP only.
ERP_WSSE_USERNAME = None
ERP_WSSE_PASSWORD = None
# Connections kept open to the ERP per worker process.
ERP_POOL_SIZE = 20
# Answer ERP requests from a folder of recorded exchanges instead of a live ERP (testers; see README).
ERP_REPLAY_DIR = None
