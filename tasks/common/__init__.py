"""What every duty shares: cell values, import tables, contract records, safe paths, export files.

Typed cell values (numbers, dates, text, workbook versions) read alike from workbooks and
officers' files, import tables (CSV/XLSX) with errors naming row and column, contract records
and extensions, path parts from untrusted text, exports that replace only a regular file,
files moved and written so that nothing is lost whatever the disk does (safe_files).
May import: foundation, data_contracts, the calendar (tests/test_layers.py holds it to that).
"""
