"""The ERP as the portal uses it: building the port, concurrent calls, checks, and rules shared by pages."""
