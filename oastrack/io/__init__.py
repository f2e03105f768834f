"""File input and output for bulk import and export (stdlib only; no CLI or database imports)."""
