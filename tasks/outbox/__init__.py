"""The outbox: every notice and letter, written where no provider text can choose.

Rendered from its template (``tasks/outbox/templates``) and written atomically. May import:
foundation, data_contracts, the calendar, tasks.common.
"""
