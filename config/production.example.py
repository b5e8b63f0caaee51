"""An example production configuration: copy it to config/production.py (IBOK_PROFILE=production)
or anywhere else (IBOK_CONFIG_FILE=/etc/ibok/production.py) and adjust. Secrets never go in this
file: give them as environment variables (IBOK_SECRET_KEY, IBOK_DATABASE_URL, IBOK_MAIL_PASSWORD,
IBOK_ERP_PASSWORD, ...), which override everything here."""

# The portal refuses to start unless all of the production checks pass: a SECRET_KEY of at least 32
# characters that is not the default, Secure/HttpOnly/SameSite cookies, an https:// PORTAL_URL,
# HSTS on, no demo accounts, a real ERP (not the demo's in-process "fake", nor replayed recordings), and the
# utility's own name, NIP, contacts, mail sender and terms (none of them the demo utility's, SWiK's).
PRODUCTION = True

# SECRET_KEY: set IBOK_SECRET_KEY in the environment, for instance to the output of
#   python3 -c "import secrets; print(secrets.token_urlsafe(48))"
# Changing it signs every customer out and invalidates password-reset links already sent.

# The public address customers use; links in e-mails are built from it.
# PORTAL_URL = "https://ibok.example-wodociagi.pl"

# Cookies only over HTTPS.
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# One year of Strict-Transport-Security.
HSTS_MAX_AGE = 31536000
# nginx (or another reverse proxy) in front sets X-Forwarded-For and X-Forwarded-Proto: trust one hop.
PROXY_FIX_X_FOR = 1
PROXY_FIX_X_PROTO = 1

# The portal's database: PostgreSQL in production (set IBOK_DATABASE_URL, which holds the password).
# DATABASE_URL = "postgresql+psycopg://ibok@db.internal/ibok"

# The ERP (see the ERP_* keys in config/defaults.py).
ERP_ADAPTER = "soap"
# ERP_URL = "https://erp.internal/ibok/service"

# E-mail through the utility's mail server; IBOK_MAIL_PASSWORD in the environment.
MAIL_BACKEND = "smtp"
# MAIL_SERVER = "smtp.example-wodociagi.pl"
MAIL_PORT = 587
MAIL_SECURITY = "starttls"
# MAIL_USERNAME = "ibok@example-wodociagi.pl"
# MAIL_FROM = "IBOK <ibok@example-wodociagi.pl>"

# The utility itself: the defaults are the demo's made-up utility, and production refuses to start while any of
# these still holds its value. UTILITY_NIP and PAYMENT_QR_RECIPIENT go into every transfer QR code.
# UTILITY_NAME = "..."
# UTILITY_SHORT_NAME = "..."
# UTILITY_ADDRESS = "..."
# UTILITY_EMAIL = "..."
# UTILITY_PHONE = "..."
# UTILITY_WEBSITE = "https://..."
# UTILITY_NIP = "..."
# PAYMENT_QR_RECIPIENT = "..."    # at most 20 characters

# Branding: the logo file and a phone number for the footer.
# UTILITY_LOGO = "/etc/ibok/logo.svg"
# UTILITY_PHONE = "77 000 00 00"

# Terms: to publish a new version, add the new file under config/terms/ and change the version;
# every customer is asked to accept it at their next request. The files shipped are the demo's sample texts,
# which production refuses: start with the utility's own.
# TERMS_IBOK_VERSION = "2027-01"
# TERMS_IBOK_FILE = "terms/regulamin-ibok-2027-01.txt"
