"""The columns of the questionnaire check frame that the questionnaire suite validates.

One row per rating of each questionnaire of a batch (five rows a
questionnaire, *long* form, as the PI frame). A column holds a value only on
the rows its rule looks at and is null elsewhere (GX skips nulls), so no
expectation needs a row condition:

| column | on the rows of | holds |
|---|---|---|
| ``row_id`` | every row | the frame row, to map findings back |
| ``rating_given`` | every rating | whether the rating cell is filled |
| ``rating`` | filled ratings | the answer read as a rating (``good `` -> ``Good``), else as typed |
| ``explained`` | a questionnaire's first row | False: Poor or V.Poor with reasons under three words |
| ``service_matches`` | a questionnaire's first row | ``sq_service_id`` is the service its reference names |

Kept apart from the suite so that building the frame needs no Great
Expectations import, which takes seconds.
"""

from __future__ import annotations

ROW_ID = "row_id"
RATING, RATING_GIVEN = "rating", "rating_given"
EXPLAINED, SERVICE_MATCHES = "explained", "service_matches"
