"""Contract management (``risk.md``): clauses, history, meetings, actions, chasing.

The nine clauses of risk.md (and, through tasks.feedback, the three of feedback.md) and
the facts they judge, the history of levels, meetings and their schedule, the QAF
timetable, actions, reminders and the risk export. May import: foundation,
data_contracts, the calendar, tasks.common, tasks.pi and tasks.qaf (their stored
returns), tasks.feedback (its clauses and facts), tasks.outbox.
"""
