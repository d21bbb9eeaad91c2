"""Infrastructure that knows no audit: safe files, locks, worker processes and their limits, the Jinja sandbox."""
