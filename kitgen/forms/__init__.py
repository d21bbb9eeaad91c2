"""One module per document type, each owning both directions: rendering context and reading back."""
