"""Prefect flows: the orchestration, kept thin."""
