"""Persistence: the schema (SQLModel tables), the connection, the queries."""
