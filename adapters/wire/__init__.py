"""What crosses the wire for every protocol: reply schemas, outgoing payloads and the bounded HTTP send."""
