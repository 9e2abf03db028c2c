from __future__ import annotations

from typing import Any

import pytest

from data_contracts.qaf_workbook import requirements
from data_contracts.reasons import QAF_REASON_CODES
from tasks.qaf.judge import JudgedQaf, judge_qaf_workbooks, missing_qaf_years
from tasks.qaf.read import QafContent
from tests.factories.contracts import contract_record, contracts
from tests.factories.programmes import qaf_programme
from tests.factories.qafs import content

CONTRACTS = contracts(
    contract_record("SV00001", "PR0001", "Floating support"),
    contract_record("SV00002", "PR0001", "Community alarm"),
    contract_record("SV00003", "PR0002", "Community alarm"),
    contract_record("SV00004", "PR0002", "community alarm"),
    contract_record("SV00009", "PR0001", "Floating support", year="2024/25"),
)
PROGRAMME = qaf_programme()


def judge(*contents: QafContent) -> list[JudgedQaf]:
    return judge_qaf_workbooks(list(contents), CONTRACTS, PROGRAMME)


def reasons(evidence: dict[str, Any] | None = None, **overrides: Any) -> list[str]:
    return judge(content(evidence, **overrides))[0].reasons


def test_complete_full_qaf_is_accepted():
    (judged,) = judge(content(service_ids="SV00002, SV00001"))
    assert judged.reasons == [] and judged.messages == []
    assert judged.key == ("PR0001", "2025/26", "SV00001;SV00002")
    assert judged.form == "Full"
    assert judged.claimed == dict.fromkeys(("C1.1", "C1.2", "C1.3", "C1.4", "C1.5", "C1.6", "C1.7"), "C")


def test_unknown_provider_also_has_unknown_services():
    (judged,) = judge(content(provider_id="PR9999", service_ids="SV00001"))
    assert judged.reasons == ["unknown_provider", "unknown_service"]
    assert "PR9999" in judged.messages[0]


def test_unknown_service_when_none_is_listed():
    (judged,) = judge(content(service_ids=" "))
    assert judged.reasons == ["unknown_service"]
    assert judged.key is None
    assert "No service is listed" in judged.messages[0]


def test_unknown_service_of_another_provider_or_another_year():
    assert reasons(service_ids="SV00001;SV00003") == ["unknown_service"]
    assert reasons(service_ids="SV00001 SV00009") == ["unknown_service"]
    (judged,) = judge(content(service_ids="SV00001;SV00003;SV00009"))
    assert judged.messages == [
        "Services SV00003, SV00009 are not among PR0001's services in the contract records for 2025/26."
    ]


def test_year_code_missing_or_wrong():
    assert reasons(year_code=None) == ["year_code_mismatch"]
    assert reasons(year_code="DCC-2425-XXX") == ["year_code_mismatch"]
    assert reasons(year_code="  DCC-2526-K7Q ") == []


def test_year_not_in_the_programme_is_a_year_code_mismatch():
    judged = judge(content(year="2024/25", service_ids="SV00009"))[0]
    assert judged.reasons == ["year_code_mismatch"]
    assert missing_qaf_years([content(year="2024/25"), content()], PROGRAMME) == {"2024/25"}


def test_lite_form_only_for_community_alarms():
    lite: dict[str, Any] = {"form": "Lite", "claimed_c1_1": None, "claimed_c1_2": None}
    assert reasons(provider_id="PR0002", service_ids="SV00003;SV00004", **lite) == []
    (judged,) = judge(content(service_ids="SV00001;SV00002", **lite))
    assert judged.reasons == ["form_not_allowed"]
    assert "SV00001 (floating support)" in judged.messages[0]
    assert reasons(provider_id="PR0002", service_ids="SV00003") == []  # Full form for an alarm is fine


def test_lite_form_needs_no_c1_1_or_c1_2_even_when_not_allowed():
    blank_evidence = {r.id: None for r in requirements() if r.objective in ("C1.1", "C1.2")}
    lite: dict[str, Any] = {"form": "Lite", "claimed_c1_1": None, "claimed_c1_2": None}
    assert reasons(blank_evidence, provider_id="PR0002", service_ids="SV00003", **lite) == []
    assert reasons(blank_evidence, service_ids="SV00001", **lite) == ["form_not_allowed"]
    # Grades typed on the Lite form's left-out objectives are not judged either.
    assert (
        reasons(blank_evidence, provider_id="PR0002", service_ids="SV00003", form="Lite", claimed_c1_1="Z")
        == []
    )


def test_full_form_needs_every_objective():
    (judged,) = judge(content(claimed_c1_1=None))
    assert judged.reasons == ["incomplete"]
    assert judged.messages == ["No grade is claimed for C1.1 Needs and Risk Assessment: claim A, B, C or D."]


@pytest.mark.parametrize("cell", ["completed_by", "date_completed"])
def test_completed_by_and_date_are_required(cell: str):
    blank: dict[str, Any] = {cell: "  "}
    (judged,) = judge(content(**blank))
    assert judged.reasons == ["incomplete"]
    assert "is blank" in judged.messages[0]


@pytest.mark.parametrize("grade", ["B+", "E", "b", "1", "Grade C"])
def test_invalid_grade(grade: str):
    (judged,) = judge(content(claimed_c1_5=grade))
    assert judged.reasons == ["invalid_grade"]
    assert judged.claimed["C1.5"] == grade
    assert f"'{grade}'" in judged.messages[0] and "C1.5 Fair Access" in judged.messages[0]


def test_invalid_grade_is_not_checked_for_evidence():
    blank = {r.id: None for r in requirements() if r.objective == "C1.5"}
    assert reasons(blank, claimed_c1_5="B+") == ["invalid_grade"]


@pytest.mark.parametrize("tick", ["✓", "yes", "done", "in place", "n/a", "-", "", None, "Yes done"])
def test_ticks_and_one_or_two_words_are_not_evidence(tick: str | None):
    assert reasons({"C1.3.C2": tick}) == ["evidence_missing"]


@pytest.mark.parametrize(
    "text", ["Policy in place", "Policy in place since 2023", "Audit 2024 report", "Политика с 2023"]
)
def test_three_words_are_evidence(text: str):
    assert reasons({"C1.3.C2": text}) == []


def test_evidence_above_the_claimed_grade_is_not_looked_at():
    above_c = {r.id: None for r in requirements() if r.level in ("B", "A")}
    assert reasons(above_c) == []
    above_b = {r.id: "✓" for r in requirements() if r.level == "A"}
    assert reasons(above_b, claimed_c1_4="B") == []


def test_claimed_grade_needs_evidence_for_every_level_up_to_it():
    assert reasons({"C1.4.B1": None}, claimed_c1_4="B") == ["evidence_missing"]
    assert reasons({"C1.4.C3": None}, claimed_c1_4="B") == ["evidence_missing"]
    assert reasons({"C1.4.A2": None}, claimed_c1_4="A") == ["evidence_missing"]
    assert reasons({"C1.4.A2": None}, claimed_c1_4="B") == []
    nothing = {r.id: None for r in requirements() if r.objective == "C1.4"}
    assert reasons(nothing, claimed_c1_4="D") == []


def test_evidence_message_lists_every_missing_requirement_with_its_text():
    (judged,) = judge(content({"C1.4.B1": None, "C1.4.B2": "✓", "C1.7.C1": "yes"}, claimed_c1_4="B"))
    assert judged.reasons == ["evidence_missing"]
    (message,) = judged.messages
    assert "C1.4.B1 Safeguarding concerns are tracked to an outcome and reviewed" in message
    assert "C1.4.B2 Service users are told what abuse is and how to report it" in message
    assert "C1.7.C1 Service users are given information about the service and about changes to it" in message
    assert message.index("C1.4.B1") < message.index("C1.4.B2") < message.index("C1.7.C1")
    assert "C1.4 (claimed B)" in message


def test_every_reason_that_applies_in_the_spec_order():
    (judged,) = judge(
        content(
            {"C1.3.C1": "yes"},
            provider_id="PR0404",
            year_code="",
            form="Lite",
            claimed_c1_4=None,
            claimed_c1_5="B+",
        )
    )
    assert judged.reasons == [code for code in QAF_REASON_CODES if code != "unreadable"]  # all, in order
    assert len(judged.messages) == 7
    assert "PR0404" in judged.messages[0]
    assert "authority code" in judged.messages[2]
    assert "Lite form" in judged.messages[3]
    assert "C1.4" in judged.messages[4]
    assert "B+" in judged.messages[5]
    assert "C1.3.C1" in judged.messages[6]


def test_batch_keeps_each_qaf_apart_and_in_order():
    judged = judge(content(), content({"C1.3.C1": None}), content(claimed_c1_2="X"), content())
    assert [j.reasons for j in judged] == [[], ["evidence_missing"], ["invalid_grade"], []]
    assert judge() == []


@pytest.mark.parametrize("provider_id", ["PR" + "8" * 298, "PR0001\x00", "../../escaped"])
def test_a_hostile_provider_id_is_unknown_and_fits_its_column(provider_id: str):
    (judged,) = judge(content(provider_id=provider_id, year="2025/26" + "9" * 300))
    assert judged.reasons[0] == "unknown_provider"
    assert len(judged.provider_id) <= 64 and len(judged.year) <= 16
    assert "\x00" not in judged.provider_id and "\x00" not in "".join(judged.messages)
