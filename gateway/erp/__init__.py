"""The ERP as the portal uses it: building the port, the ownership gate, concurrent calls, checks."""
