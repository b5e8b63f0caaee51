"""Settings for the test suite: the in-process fake ERP and nothing written outside tmp folders."""

TESTING = True
SECRET_KEY = "testing-secret-key-not-for-production"
ERP_ADAPTER = "fake"

# Tests only: argon2id at its minimum cost so the suite stays fast. Never copy these elsewhere.
ARGON2_MEMORY_KIB = 8
ARGON2_TIME_COST = 1
# Most tests post forms without a token; the CSRF tests switch it back on.
WTF_CSRF_ENABLED = False
# Mail goes to a local aiosmtpd server the tests start; they set MAIL_PORT.
MAIL_BACKEND = "smtp"
MAIL_SERVER = "127.0.0.1"
MAIL_SECURITY = "none"
MAIL_TIMEOUT = 5
PORTAL_URL = "http://portal.test"
