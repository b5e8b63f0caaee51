"""The `flask` commands office staff, IT and testers run: accounts, the database, the ERP, retention."""
