"""`oastrack live`: the full-screen board for the day of the vote (Textual, imported only here)."""
