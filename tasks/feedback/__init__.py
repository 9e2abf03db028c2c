"""Feedback, involvement and support-plan audits (``feedback.md``).

- ``rows``: reading an officer's import file, all or nothing.
- ``stakeholders``: the stakeholder import.
- ``questionnaire``: issuing the questionnaire workbook; ``questionnaire_read``: reading one back.
- ``judge``: judging a questionnaire's answers (pure).
- ``responses``: recording replies (telephone, meeting, or a workbook from the intake), provider replies.
- ``letters``: the adverse-feedback letter to the provider, and writing it to the outbox.
- ``consultations``: service-user consultations, the minimum sample and the warnings.
- ``audits``: support-plan audits, their warnings and status.
- ``cycle``: the 24-month cycles and the programme file's ``[feedback]`` section.
- ``due``: the open items as at a date.
- ``clauses``: the three contract-management clauses (pure); ``facts``: their facts as at a date.
- ``intake``: a batch's returned questionnaires: checked at once (GX suite), recorded, re-ingested.
- ``issuing``: questionnaires for services, from the database.
- ``priority``: a service's priority on a day; ``summaries``: average scores and shareable comments.
- ``exports``: writing the CSV exports (due list, consultations, audits, the reply register).
"""
