"""The SQLite store and the SQL it builds on."""
