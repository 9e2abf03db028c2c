"""The units of work: plain functions, with thin Prefect task wrappers in ``tasks.prefect_tasks``."""
