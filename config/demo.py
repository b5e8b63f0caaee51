"""The demo (`make run`): the in-process fake ERP or a simulator, mail into instance/mail, demo accounts."""

import os

SECRET_KEY = "demo-secret-key-not-for-production"
ERP_ADAPTER = "fake"

# The customer office's phone, shown in the footer, on contact hints and on error pages (a made-up number).
UTILITY_PHONE = "+48 77 461 00 00"

# Links in e-mails lead to the port `make run` serves the demo on (PORT, as in the Makefile).
PORTAL_URL = f"http://127.0.0.1:{os.environ.get('PORT', '5000')}"

# Mail is not sent: each message is written to instance/mail/*.eml and printed to the console.
MAIL_BACKEND = "folder"

# `.venv/bin/flask accounts demo` creates these (idempotently); they exist only in the demo.
# password_is_one_time: the customer has never signed in and walks through terms and a new password.
# einvoice: e-invoices on or off as the demo ERP holds them; kowalski switched them off after accepting the terms.
DEMO_ACCOUNTS = [
    {
        "login": "kowalski",
        "customer_id": "K-1001",
        "email": "jan.kowalski@example.com",
        "password": "Demo-IBOK-2026",
        "one_time": False,
        "einvoice": False,
    },
    {
        "login": "nowak",
        "customer_id": "K-1002",
        "email": "anna.nowak@example.com",
        "password": "Demo-IBOK-2026",
        "one_time": False,
        "einvoice": True,
    },
    {
        "login": "nowy",
        "customer_id": "K-1003",
        "email": "piotr.nowy@example.com",
        "password": "Start-IBOK-2026",
        "one_time": True,
        "einvoice": True,
    },
    {  # the bakery, a business customer: its invoices are in KSeF (number, verification QR code, FA(3) XML)
        "login": "piekarnia",
        "customer_id": "K-1004",
        "email": "biuro@pod-mlynem.example.com",
        "password": "Demo-IBOK-2026",
        "one_time": False,
        "einvoice": True,
    },
    {
        # A property manager: one login for the three housing communities it looks after.
        "login": "zarzadca",
        "customer_id": "K-1007",
        "links": ["K-1008", "K-1009"],
        "email": "biuro@zarzadca.example.com",
        "password": "Demo-IBOK-2026",
        "one_time": False,
        "einvoice": True,
    },
]

# The demo delivers writes to the simulator from a thread of the portal itself.
OUTBOX_IN_PROCESS = True
OUTBOX_INTERVAL_SECONDS = 3

# Online payments through the Przelewy24 simulator `make run` starts (fixtures/p24, P24_SIM_PORT, default 8082).
PAYMENTS_ENABLED = True
P24_URL = f"http://127.0.0.1:{os.environ.get('P24_SIM_PORT', '8082')}"

# SMS reminders through the SMSAPI simulator `make run` starts (fixtures/smsapi, SMS_SIM_PORT, default 8083); what it
# took: http://127.0.0.1:8083/_smsapi/messages
SMS_ENABLED = True
SMSAPI_URL = f"http://127.0.0.1:{os.environ.get('SMS_SIM_PORT', '8083')}"
