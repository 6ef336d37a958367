"""Storages: the backend interface, the codec, budgets, management, one folder per backend."""
