"""Performance harness: kitgen against the raw libraries doing the same work, measured side by side in one run."""
