"""E-mail reminders: the kinds a customer switches on, what the ERP shows new, and a ledger so none is sent twice."""
