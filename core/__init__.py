"""The bottom layer: what every app needs (absolute URLs, the current language, domain errors,
tasks queued by name after commit). It imports no app of the project."""
