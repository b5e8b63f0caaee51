"""The ERP as the portal uses it: building the port, the ownership gate, concurrent calls, checks, and the
rules over its records that more than one page applies (invoice order, reading rules)."""
