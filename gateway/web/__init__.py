"""The request's plumbing: sessions, security headers, errors, templates, languages, links and formats."""
