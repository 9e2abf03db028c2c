"""Dates: monitoring years and quarters, working days and bank holidays, deadlines.

Deadlines come with agreed extensions. May import: foundation, data_contracts.
"""
