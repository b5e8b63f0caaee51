"""Payment operators: the port the portal pays through, and the Przelewy24 adapter behind it."""
