"""The face: one Typer sub-app per noun. Parses, calls one service, renders."""
