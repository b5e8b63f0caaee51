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
# Seconds to wait for a connection, for each gap between bytes, and for a whole port operation (every HTTP
# exchange it makes, retries included, shares ERP_DEADLINE).
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
# How HTTP requests to the ERP authenticate: "basic" (ERP_USERNAME/ERP_PASSWORD, when a username is set),
# "bearer" (Authorization: Bearer ERP_TOKEN), "api-key" (the header ERP_API_KEY_HEADER carrying ERP_API_KEY) or
# "none". Only the one chosen is sent: a token or key never also goes as basic auth. Secrets: set them by IBOK_
# variables or IBOK_CONFIG_FILE, never here.
ERP_AUTH = "basic"
ERP_TOKEN = None
ERP_API_KEY_HEADER = "X-API-Key"
ERP_API_KEY = None
# The adapter plugin's own settings (docs/adapters.md), e.g. {"wsdl": "/etc/ibok/erp.wsdl", "tenant": "w1"}: a
# mapping in IBOK_CONFIG_FILE, or IBOK_ERP_OPTIONS holding a JSON object. Options named like a password, secret,
# token or key, and those the plugin declares secret, are never logged, shown or recorded. The mapping adapter
# (ERP_ADAPTER "mapping") reads its mapping file from {"mapping_file": "/etc/ibok/erp.toml"}; "sap-umc" defaults
# to config/mappings/sap-umc.toml.
ERP_OPTIONS: dict[str, object] = {}
# Connections kept open to the ERP per worker process.
ERP_POOL_SIZE = 20
# Answer ERP requests from a folder of recorded exchanges instead of a live ERP (testers; see README).
ERP_REPLAY_DIR = None
# `flask erp record`: the ERP's own field, element, header and parameter names whose values are credentials
# (removed from every file, besides those named like passwords, tokens or keys), and those holding personal
# data, as a list or as {"Nazwisko": "name", "Telefon": "phone", ...} (kinds: see README, record and replay).
ERP_RECORD_SECRET_FIELDS: list[str] = []
ERP_RECORD_PERSONAL_FIELDS: dict[str, str] | list[str] = {}
# Operations the ERP has but the utility does not want offered, e.g. ["get_contract_scan"]: their pages, menu
# entries and buttons are hidden as for an ERP without them. A required operation here refuses the start.
ERP_NOT_OFFERED: list[str] = []

# --- Caching ERP answers (per worker process, or in Redis shared by all: CACHE_URL) -------------
CACHE_ENABLED = True
# Seconds an answer is reused, per port operation, where it should differ from the operation table's
# lifetime (adapters/core/operations.py: get_customer 300, get_invoice 600, list_messages 30, ...).
CACHE_TTL_SECONDS: dict[str, float] = {}
# Most entries kept per operation (each customer's answer is one entry); files default to 100.
CACHE_MAX_ENTRIES: dict[str, int] = {}
# The last good answer of each key is kept this many seconds, and shown (with a notice saying how
# old it is) when the ERP is down.
CACHE_STALE_SECONDS = 24 * 3600
# Several portal processes or machines: "redis://host:6379/0" keeps ERP answers in Redis, shared by all of them
# (one ERP call per cold key across the cluster; a delivered write drops them for every process at once).
# Empty: each process keeps its own (one machine). Use a Redis of the portal's own (see docs/deploy.md).
CACHE_URL = ""
# Seconds each Redis command may take; beyond it the process uses its own cache for CACHE_RETRY_SECONDS and
# logs it (Redis slow or down never makes a page fail).
CACHE_TIMEOUT_SECONDS = 0.25
CACHE_RETRY_SECONDS = 5
# Longest a cold key's ERP call holds its lock in Redis (others wait that long, then ask the ERP themselves):
# above two reads of ERP_DEADLINE, the one retry a read may have.
CACHE_LOCK_SECONDS = 35
# Every Redis key starts with this, then the customer id.
CACHE_KEY_PREFIX = "ibok:"

# --- Circuit breakers, one per group of ERP operations (customer, meters, invoices, ...) ---------
# After this many calls in a row found the ERP unavailable, calls of the group fail at once ...
BREAKER_FAIL_MAX = 5
# ... for this many seconds; then one probe call is let through.
BREAKER_RESET_SECONDS = 30
# The "billing system unavailable" page asks browsers and clients to come back after this many seconds.
RETRY_AFTER_SECONDS = 60

# --- The portal's own database ----------------------------------------------------------------
# Any SQLAlchemy URL (postgresql+psycopg://user@host/ibok in production). Empty: SQLite file
# instance/ibok.sqlite. Create or upgrade the schema with `flask --app gateway db upgrade`.
DATABASE_URL = ""
# Connections kept open per process: at least the request threads (GUNICORN_THREADS, 16) and the outbox's,
# or connections are opened and closed on every page beyond that (each opening reads the schema again).
# They are opened as needed: a process that never has 17 pages at once never opens 17.
DATABASE_POOL_SIZE = 17
# Connections a process may open beyond the pool when all are busy, closed again when returned. A process holds
# at most DATABASE_POOL_SIZE + DATABASE_MAX_OVERFLOW: budget it against PostgreSQL's max_connections (docs/deploy.md).
DATABASE_MAX_OVERFLOW = 10
# True when DATABASE_URL points at PgBouncer in transaction mode: no server-side prepared statements.
DATABASE_PGBOUNCER = False

# --- Sessions and sign-in ---------------------------------------------------------------------
# Minutes without a request after which the customer must sign in again.
SESSION_IDLE_MINUTES = 15
# Hours after sign-in after which the session ends whatever the activity (Flask's
# PERMANENT_SESSION_LIFETIME is set from it, so an older signed cookie is refused outright); 0.5 is half an hour.
SESSION_ABSOLUTE_HOURS = 8
# The session cookie. Production requires SESSION_COOKIE_SECURE = True (HTTPS only) and names it with the
# __Host- prefix ("__Host-ibok_session"), so only this host, over HTTPS, can set it.
SESSION_COOKIE_NAME = "ibok_session"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = False
# Remember-me is not offered; these only matter if a later change turns it on.
REMEMBER_COOKIE_HTTPONLY = True
REMEMBER_COOKIE_SECURE = True
# Requests larger than this many bytes are refused with 413 (message attachments included).
MAX_CONTENT_LENGTH = 10 * 1024 * 1024
# Seconds a form's CSRF token stays valid (Flask-WTF).
WTF_CSRF_TIME_LIMIT = 3600
# How many reverse proxies in front of the portal set X-Forwarded-For/-Proto (0: none, trust nothing).
PROXY_FIX_X_FOR = 0
PROXY_FIX_X_PROTO = 0
# True only when a reverse proxy in front of the portal sets X-Correlation-ID on every request (replacing
# any the client sent): the portal then uses its id. Otherwise the portal makes its own and logs the one
# offered apart, so no client chooses the reference on error pages and in the ERP's logs.
CORRELATION_ID_FROM_PROXY = False

# --- Passwords ----------------------------------------------------------------------------------
# argon2id at the OWASP ASVS 5.0 parameters: 19 MiB of memory, 2 passes, 1 lane.
ARGON2_MEMORY_KIB = 19456
ARGON2_TIME_COST = 2
ARGON2_PARALLELISM = 1
# Passwords are checked and hashed by this many threads per process, each at this much lower CPU
# priority (Linux nice, 0-19): a burst of sign-ins waits for the CPU instead of slowing signed-in pages,
# and no more hashes than threads are held in memory at once.
ARGON2_THREADS = 2
ARGON2_NICE = 10
# New passwords: at least this many characters, not on the common-password list, no composition rules.
PASSWORD_MIN_LENGTH = 12
PASSWORD_MAX_LENGTH = 128
# A one-time password e-mailed by staff works for this many days; then staff send a new one.
ONE_TIME_PASSWORD_DAYS = 14
# Seconds a password-reset link stays valid; it also stops working once used.
RESET_LINK_MAX_AGE = 1800

# --- Throttling of failed sign-ins ------------------------------------------------------------
# Failures allowed without delay, per login and per client address (addresses are shared behind NAT).
THROTTLE_FREE_FAILURES_LOGIN = 5
THROTTLE_FREE_FAILURES_ADDRESS = 20
# After that each failure doubles the wait, from the base up to the cap (seconds): a stranger can
# slow a customer down but never lock them out for longer than the cap.
THROTTLE_BASE_DELAY = 2
THROTTLE_MAX_DELAY = 300
# Seconds of quiet after which the failure count starts again from zero.
THROTTLE_FORGET_AFTER = 3600
# Checked guesses per login and hour from clients that are not yet delayed, whatever their address: the bound
# on brute force from many addresses (ASVS asks for no more than 100 failures an hour per account).
THROTTLE_LOGIN_GUESSES_PER_HOUR = 20
# Days a device cookie (set at each successful sign-in) exempts that browser from the address delays and the hourly
# cap of its login: a stranger's failures cannot lock out a customer on a browser they used before.
THROTTLE_DEVICE_DAYS = 180
# Seconds over which refused (throttled) attempts of one login from one client share audit entries.
THROTTLE_AUDIT_WINDOW = 600
# Password-reset e-mails sent without delay, per login or e-mail address typed, and per client address.
THROTTLE_FREE_RESETS = 3
THROTTLE_FREE_RESETS_ADDRESS = 10

# --- Terms the customer accepts before first use (texts under config/, versioned) --------------
# A new version (change the version and point at the new file) asks every customer again.
TERMS_IBOK_VERSION = "2026-01"
TERMS_IBOK_FILE = "terms/regulamin-ibok-2026-01.txt"
TERMS_EINVOICE_VERSION = "2026-01"
TERMS_EINVOICE_FILE = "terms/regulamin-e-faktury-2026-01.txt"

# --- E-mail ---------------------------------------------------------------------------------------
# "smtp" sends through MAIL_SERVER; "folder" writes .eml files to MAIL_FOLDER and prints them (the demo).
MAIL_BACKEND = "smtp"
MAIL_SERVER = "localhost"
MAIL_PORT = 25
# "starttls" (port 587), "tls" (implicit TLS, port 465) or "none" (a relay on the local network).
MAIL_SECURITY = "starttls"
MAIL_USERNAME = None
MAIL_PASSWORD = None
MAIL_TIMEOUT = 15
MAIL_FROM = "IBOK SWiK <ibok@swik.com.pl>"
# Empty: instance/mail. Used by the "folder" backend only.
MAIL_FOLDER = ""
# The portal's public address, used to build links in e-mails (never taken from the request's Host).
PORTAL_URL = "http://127.0.0.1:5000"

# --- Language and formats -----------------------------------------------------------------------
# Polish by default; English is a switch in the page header.
BABEL_DEFAULT_LOCALE = "pl"
BABEL_DEFAULT_TIMEZONE = "Europe/Warsaw"
LANGUAGES = ["pl", "en"]

# --- The utility's branding, shown in the header, footer and e-mails ------------------------------
# The values below (and MAIL_FROM, the terms files, config/demo.py's phone) are the demo's made-up utility, SWiK:
# production refuses to start while any is left (gateway/config_check.py).
UTILITY_NAME = "Strzeleckie Wodociągi i Kanalizacja Sp. z o.o."
UTILITY_SHORT_NAME = "SWiK"
UTILITY_ADDRESS = "ul. Mickiewicza 10, 47-100 Strzelce Opolskie"
UTILITY_OFFICE = "pokój nr 005"
UTILITY_EMAIL = "swik@swik.com.pl"
# The customer office's phone as customers dial it ("+48 77 461 00 00"): footer, contact hints, error pages.
UTILITY_PHONE = ""
UTILITY_WEBSITE = "https://www.swik.com.pl"
# Path to the logo (SVG or PNG); empty: the portal's own placeholder.
UTILITY_LOGO = ""

# --- How to pay: the box with the customer's account and the transfer QR code (ZBP recommendation) ---
# The utility's NIP, the recipient in the QR code (banking apps check it); empty: the code names no NIP.
UTILITY_NIP = "7561000001"
# The recipient's name as the QR code carries it: at most 20 characters (longer is cut); the box shows UTILITY_NAME.
PAYMENT_QR_RECIPIENT = "SWiK Sp. z o.o."
# Transfer title for paying the balance; {customer_id} becomes the customer's number. At most 32 characters
# reach the QR code. An invoice is paid with its number as the title.
PAYMENT_BALANCE_TITLE = "Saldo {customer_id}"

# --- KSeF (the national e-invoice system): the verification QR code (KOD I) on business invoices -----
# Which KSeF the codes point at: "prd" (qr.ksef.mf.gov.pl), "demo" (qr-demo…) or "test" (qr-test…); the seller's
# NIP in the code is UTILITY_NIP.
KSEF_ENVIRONMENT = "prd"

# --- Security headers and production ------------------------------------------------------------
# Strict-Transport-Security max-age in seconds; 0 sends none (plain-HTTP demo).
HSTS_MAX_AGE = 0
# True in production: the portal then refuses to start with the default SECRET_KEY, without Secure
# cookies, without HTTPS in PORTAL_URL or HSTS, with the demo accounts, with the demo's ERP ("fake",
# or replayed recordings), or with the demo utility's name, NIP, contacts or terms.
PRODUCTION = False
# Demo accounts (kowalski, nowak, nowy, zarzadca) can be created only when this holds (config/demo.py).
DEMO_ACCOUNTS: list[dict[str, object]] = []

# Words specific to this portal that make a password easy to guess: a password whose letters alone
# (ignoring case, digits and punctuation) spell one of them, or the login, is refused.
PASSWORD_CONTEXT_WORDS = ["swik", "ibok", "wodociagi", "strzelce", "strzeleckie", "kanalizacja", "haslo", "woda"]
# zxcvbn's score (0-4) a new password must reach; 3 means "safely unguessable" against an online attack
# and refuses repeats, sequences, keyboard walks and common words however long.
PASSWORD_MIN_SCORE = 3

# --- Pages ------------------------------------------------------------------------------------------
# Seconds a page waits for its ERP calls (run concurrently); a part not answered by then shows a notice.
PAGE_DEADLINE = 12.0
# True: every template is compiled in every language while the app is built, so the first visitors after a start
# do not wait for it. config/gunicorn.conf.py turns it on for its workers; commands and tests leave it off.
COMPILE_TEMPLATES_AT_START = False

# --- Messages (complaints, inquiries, requests) ---------------------------------------------------
# Attachments: PDF, JPEG or PNG (checked from the content), at most this many bytes each and this
# many files per message (3 × 3 MB fits in MAX_CONTENT_LENGTH, above, which caps the whole request: files
# that together exceed it are refused with 413, and the form says so in its hint.
MESSAGE_ATTACHMENT_MAX_BYTES = 3 * 1024 * 1024
# Files: never more than 10, the most the ERP contract takes; a file's name may have at most 120 characters.
MESSAGE_ATTACHMENT_MAX_FILES = 3

# --- Per-customer limits on writes (counted from the outbox; beyond them a Polish 429) -------------
# Messages a customer may send within any hour.
MESSAGES_PER_HOUR = 10
# Megabytes of attachments a customer may send within any 24 hours (messages without files still go).
MESSAGE_ATTACHMENT_MB_PER_DAY = 30
# Readings a customer may send for one meter within any 24 hours (corrections included).
READINGS_PER_METER_PER_DAY = 5

# --- The outbox: writes (readings, messages, consents) kept until the ERP takes them --------------
# True: a thread in each portal process delivers (the demo). False: run `flask outbox run` as its own
# service (production); several may run at once.
OUTBOX_IN_PROCESS = False
# Seconds between delivery rounds (a new write wakes an in-process deliverer at once).
OUTBOX_INTERVAL_SECONDS = 10
# Seconds between a portal process's looks for writes finished by any deliverer (one indexed query), whose
# cached answers it then drops: how long another process's delivered write may show stale at most.
OUTBOX_EVICT_INTERVAL_SECONDS = 1.0
# Seconds each look reaches back before the last one: a write committed late, or stamped by a host whose
# clock runs behind by up to this much, is still seen.
OUTBOX_EVICT_MARGIN_SECONDS = 60
# Hours after the ERP took a write (a reading, an e-invoice switch) during which the page shows it as taken
# where the ERP's own answer does not show it yet; after that the ERP's answer alone counts.
OUTBOX_AWAIT_ERP_HOURS = 24

# --- Retention: `flask retention purge` (daily, from cron or a systemd timer) deletes what is older ----
# Delivered and refused writes, in days after they finished (waiting ones are never deleted). At least 30:
# the customer's list shows their writes of the last 30 days.
OUTBOX_RETENTION_DAYS = 90
# Audit entries (sign-ins, downloads, writes, account changes), in days. They name people and addresses,
# so GDPR asks for no longer than needed: a year covers a complaint or a dispute over a bill.
AUDIT_RETENTION_DAYS = 365

# --- Logs ------------------------------------------------------------------------------------------
# Every line carries the request's correlation id (also sent to the ERP and shown on error pages).
LOG_LEVEL = "INFO"

# --- Online payments: "Zapłać" through a payment operator (README "Online payments") ------------------
# Off: no "Zapłać" anywhere and no operator settings needed. On: invoices and the overdue balance can be paid online.
PAYMENTS_ENABLED = False
# Which operator: an entry point of the group "ibok.payment_operators" ("przelewy24", or a utility's own package).
PAYMENT_OPERATOR = "przelewy24"
# Przelewy24's merchant id, shop (POS) id, CRC key and API key ("klucz do raportów") from its panel; the values below
# are the demo simulator's, which production refuses. The keys are secrets: set them from the environment.
P24_MERCHANT_ID = 11111
P24_POS_ID = 11111
P24_CRC = "demo-crc-not-for-production"
P24_API_KEY = "demo-api-key-not-for-production"
# https://secure.przelewy24.pl in production, https://sandbox.przelewy24.pl for tests; the demo's simulator here.
P24_URL = "http://127.0.0.1:8082"
# Seconds to connect, to wait between bytes, and for a whole reply from the operator.
P24_CONNECT_TIMEOUT = 3.05
P24_TIMEOUT = 10.0
P24_DEADLINE = 15.0
# The portal's public address for the operator's return and notification links (https in production); empty:
# PORTAL_URL. The notification path, /payments/notify, must be reachable from the operator.
PAYMENT_PUBLIC_URL = ""
# Minutes after which a payment started but not paid counts as abandoned: its invoices may be paid again.
PAYMENT_ABANDON_MINUTES = 30
# Days of payments whose states the invoice, start and settlements pages show.
PAYMENT_STATES_DAYS = 60
# Notifications taken from one client address a minute (POST /payments/notify): the operator sends one per payment
# (and its retries), so this is far above any real rate; beyond it a 429 with Retry-After, before any signature check.
PAYMENT_NOTIFICATIONS_PER_MINUTE = 300
# --- E-mail reminders: `flask notify run` (cron or ibok-notify.timer) --------------------------------
# Days before an unpaid invoice's due date when the "payment due soon" reminder goes out.
REMINDER_DUE_DAYS = 3
# The reading window: the ERP has no schedule, so the utility's is set here. Days of the month (first and last,
# inclusive; 31 means the month's end) when customers send their meter readings, and the months it opens in
# ([] every month; [1, 3, 5, 7, 9, 11] for readings every other month). Active meters only.
READING_WINDOW_FIRST_DAY = 25
READING_WINDOW_LAST_DAY = 31
READING_WINDOW_MONTHS: list[int] = []
# ERP calls per second a run makes at most (all its threads together), and the threads asking at once.
NOTIFY_ERP_CALLS_PER_SECOND = 20.0
NOTIFY_ERP_THREADS = 4
# Customers (with the accounts showing them) read from the database and asked about per batch.
NOTIFY_BATCH_SIZE = 200
# Days back a run looks for what happened: a run missed for a few days still sends; older things never.
NOTIFY_LOOKBACK_DAYS = 14
# Minutes after which a claim still not marked sent counts as stuck (`flask notify list --stuck`).
NOTIFY_STUCK_MINUTES = 30
# Days the ledger of sent reminders is kept (`flask retention purge`); more than NOTIFY_LOOKBACK_DAYS + 1, so a
# purged row's reminder is too old to be sent again.
NOTIFY_LEDGER_RETENTION_DAYS = 180
# --- SMS reminders: the same kinds by SMS, for customers who switch them on (README "Reminders") -------------
# Off: no SMS switches on the settings page and no SMS sent. On: a customer with a phone number in the ERP may also
# choose SMS for each kind.
SMS_ENABLED = False
# Which gateway: an entry point of the group "ibok.sms_gateways" ("smsapi", or a utility's own package).
SMS_GATEWAY = "smsapi"
# SMSAPI.pl's OAuth token from its panel (a secret: set it from the environment); the demo simulator's below,
# which production refuses.
SMSAPI_TOKEN = "demo-sms-token-not-for-production"
# https://api.smsapi.pl in production (https://api.smsapi.com for international accounts); the demo's simulator here.
SMSAPI_URL = "http://127.0.0.1:8083"
# The sender name shown on the phone (at most 11 characters, registered in SMSAPI's panel); empty: the account's
# default.
SMS_SENDER = ""
# Seconds to connect, to wait between bytes, and for a whole reply from the gateway.
SMS_CONNECT_TIMEOUT = 3.05
SMS_TIMEOUT = 10.0
SMS_DEADLINE = 15.0
