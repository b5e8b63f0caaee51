"""The ERP port and what it speaks: the operation table, the port, frozen records, typed errors, settings."""
