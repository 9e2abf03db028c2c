"""PI returns (``pi-rules.md``, ``pi-workbook.md``).

Reading a PI workbook, the per-value and record checks, PI formulas and pooling, storing
returns, the register, issued workbooks. May import: foundation, data_contracts, the
calendar, tasks.common, and the workbook reader and statuses of tasks.intake.
"""
