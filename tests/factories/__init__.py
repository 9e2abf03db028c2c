"""The one set of test factories: programmes, databases, contracts, returns, QAFs, meetings, feedback.

- ``programmes``: the test programme files and the years they hold;
- ``sessions``: in-memory databases, times and storing a row;
- ``contracts``: contract records, stored or not;
- ``returns``: received files and PI returns (raw, or with the PIs computed as the ingestion does);
- ``qafs``: QAF contents and workbooks, QAF returns, agreed grades, improvement plans;
- ``meetings``: contract-management meetings and actions;
- ``pi_pages``: hand-built contract records, programme and PI quarter pages whose PIs are worked by hand;
- ``feedback``: stakeholders, questionnaires issued, CSV imports;
- ``zips``: workbook bytes written again member by member (fixed times, an edited part, a zip bomb).
"""
