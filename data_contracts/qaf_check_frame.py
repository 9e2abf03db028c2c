"""The columns of the QAF check frame that the return suite validates (see ``qaf_return_suite``).

Kept apart from the suite so that code building the frame need not import
Great Expectations, which takes seconds.
"""

from __future__ import annotations

ROW_ID = "row_id"
COMPLETION_CELLS: tuple[str, ...] = ("qaf_completed_by", "qaf_date_completed")
CLAIMED_CELL = "claimed"
EVIDENCE_CELL = "evidence"
