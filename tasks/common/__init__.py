"""What every duty shares: cell values, import tables, contract records, safe paths, export files.

Typed cell values (numbers, dates, text, workbook versions) read alike from workbooks and
officers' files, import tables (CSV/XLSX) with errors naming row and column, contract records
and extensions, path parts from untrusted text, exports that replace only a regular file.
May import: foundation, data_contracts, the calendar (tests/test_layers.py holds it to that;
safe_output still takes its disk errors from tasks.intake.safe_files, to move down next).
"""
