"""What every duty shares: import tables, contract records, safe paths, export files.

Import tables (CSV/XLSX) with errors naming row and column, contract records and
extensions, path parts from untrusted text, exports that replace only a regular file.
May import: foundation, data_contracts, the calendar.
"""
