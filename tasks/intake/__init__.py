"""Intake: from the drop folder to one recorded, filed batch.

The drop folder, the run lock, safe workbook reading (guard, reader process, poison marks),
normalising values, statuses, recording a batch in one transaction, filing files away,
re-ingestion and the run's report. May import: foundation, data_contracts, the calendar,
tasks.common, tasks.outbox, and the kinds of return (tasks.pi, tasks.qaf, tasks.feedback's
questionnaires) whose judges it runs.
"""
