"""The ERP boundary: the billing port, its records and errors, and the adapters that implement it."""
