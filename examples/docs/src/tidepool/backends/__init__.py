"""Storage backends for queued tasks."""
