"""Low-level OOXML: safe opening, custom properties, embedded parts, Word tables and controls, xlsx helpers, sandboxed Jinja.

Knows nothing of audits: callers pass plain names, dicts and strings.
"""
