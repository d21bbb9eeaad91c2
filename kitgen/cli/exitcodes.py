"""kitgen's exit codes, one table for every command (the README and `kitgen --help` show it)."""
from __future__ import annotations

DONE = 0            # the command did what was asked (readiness: ready)
USER_ERROR = 1      # a file, a value or a folder the user can fix; one `Error: …` line says which and what to do
USAGE = 2           # the command line itself: unknown option or form, missing argument (click's own code)
NOT_READY = 3       # readiness: not ready for the audit asked about
CONFLICTS_LEFT = 4  # harvest: a field changed both in a form and in the project; decide, or --prefer form

TABLE = (  # the meanings are msgids: `kitgen --help` shows them in the run's language (clicklang)
    (DONE, "done (readiness: ready)"),
    (USER_ERROR, "user or input error: one `Error:` line names the file and what to do"),
    (USAGE, "usage: unknown command, option or form, missing argument"),
    (NOT_READY, "readiness: not ready"),
    (CONFLICTS_LEFT, "harvest: conflicts left (decide, or run again with --prefer form)"),
)
