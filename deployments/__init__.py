"""Prefect deployments and their schedules."""
