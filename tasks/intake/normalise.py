"""Reading cell values: moved to :mod:`tasks.common.cell_values`, which officers' import files share.

Kept so that the intake and feedback readers that import it from here still
work; new code imports :mod:`tasks.common.cell_values`.
"""

from tasks.common.cell_values import (
    MAX_TEXT,
    UnreadableValue,
    clean_text,
    from_excel_serial,
    is_blank,
    read_date,
    read_long_text,
    read_number,
    read_text,
    shortened,
)

__all__ = [
    "MAX_TEXT",
    "UnreadableValue",
    "clean_text",
    "from_excel_serial",
    "is_blank",
    "read_date",
    "read_long_text",
    "read_number",
    "read_text",
    "shortened",
]
