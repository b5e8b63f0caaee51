"""The portal's own database: the engine and session per request, and the tables."""
