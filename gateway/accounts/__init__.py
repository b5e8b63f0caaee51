"""The portal's own people: accounts, passwords, sign-in throttling, terms, the audit log and e-mail."""
