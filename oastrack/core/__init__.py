"""The domain, pure: positions, decision rules, the tally and the analysis on top of it.

Nothing here imports Typer, Rich, SQLAlchemy or SQLModel.
"""
