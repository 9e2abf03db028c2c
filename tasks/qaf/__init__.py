"""QAF self-assessments (``qaf.md``).

Reading, judging, the evidence rule, validation visits, storing, the QAF register, issued
QAF workbooks, officers' grades and improvement plans. May import: foundation,
data_contracts, the calendar, tasks.common, tasks.pi (returns a visit looks at), and the
workbook reader and statuses of tasks.intake.
"""
