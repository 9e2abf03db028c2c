"""The programme file: every year's code, deadlines and triggers; errors name the key (interface.md)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from foundation.errors import BadInput
from foundation.programme import load_programme, parse_programme
from tests.factories.pi_pages import CODE, PROGRAMME_TOML
from tests.factories.programmes import TRIGGERS

EXAMPLE = f"""
[years."2025/26"]
code = "DCC-2526-K7Q"
deadline_working_days = 15
report_delay_days = 7
qaf_sample_percent = 10
procurement_review = ["SV00012", "SV00031"]

[years."2025/26".triggers]
{TRIGGERS}
[meeting_interval_months]
RED = 3
AMBER = 6
GREEN = 12
"""


def test_the_interface_example_parses() -> None:
    programme = parse_programme(EXAMPLE)
    year = programme.year("2025/26")
    assert year.code == "DCC-2526-K7Q"
    assert (year.deadline_working_days, year.report_delay_days, year.qaf_sample_percent) == (15, 7, 10)
    assert year.procurement_review == ["SV00012", "SV00031"]
    assert [year.triggers.of(pi) for pi in ("KPI1", "KPI2", "SPI1", "SPI2", "SPI3", "SPI4")] == [
        90.0, 70.0, 90.0, 90.0, 90.0, 15.0,
    ]  # fmt: skip
    assert (programme.meeting_interval_months.RED, programme.meeting_interval_months.GREEN) == (3, 12)


def test_defaults() -> None:
    year = parse_programme(PROGRAMME_TOML).year("2023/24")
    assert (year.deadline_working_days, year.report_delay_days, year.qaf_sample_percent) == (15, 7, 10)
    assert year.procurement_review == []


def test_whole_number_triggers_are_numbers() -> None:
    programme = parse_programme(PROGRAMME_TOML.replace("KPI1 = 90.0", "KPI1 = 90", 1))
    assert programme.year("2025/26").triggers.KPI1 == 90.0


def test_missing_year_names_the_key() -> None:
    programme = parse_programme(PROGRAMME_TOML)
    assert programme.has_year("2025/26")
    assert not programme.has_year("2024/25")
    with pytest.raises(BadInput, match=r'\[years\."2024/25"\]'):
        programme.year("2024/25")


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("KPI1 = 90.0", 'KPI1 = "ninety"', 'years."2025/26".triggers.KPI1'),
        ("SPI4 = 15.0", "SPI4 = true", 'years."2025/26".triggers.SPI4'),
        ("SPI4 = 15.0", "", 'years."2025/26".triggers.SPI4'),
        (
            "deadline_working_days = 15",
            'deadline_working_days = "15"',
            'years."2025/26".deadline_working_days',
        ),
        ("deadline_working_days = 15", "deadline_working_days = -1", 'years."2025/26".deadline_working_days'),
        (
            "deadline_working_days = 15",
            "deadline_working_days = 1.5",
            'years."2025/26".deadline_working_days',
        ),
        (f'code = "{CODE}"', "code = 5", 'years."2025/26".code'),
        (f'code = "{CODE}"', 'code = ""', 'years."2025/26".code'),
        (f'code = "{CODE}"', "", 'years."2025/26".code'),
        ("deadline_working_days = 15", "deadline_working_days = 15\nbogus = 1", 'years."2025/26".bogus'),
        ('[years."2025/26"]', '[years."2025-26"]', 'years."2025-26"'),
    ],
)
def test_wrong_type_names_the_key(old: str, new: str, key: str) -> None:
    text = PROGRAMME_TOML.replace(old, new, 1)
    assert text != PROGRAMME_TOML
    with pytest.raises(BadInput) as raised:
        parse_programme(text, source="programme.toml")
    assert str(raised.value).startswith("programme.toml: ")
    assert key in str(raised.value)


def test_missing_triggers_table_names_the_key() -> None:
    text = '[years."2025/26"]\ncode = "X"\n'
    with pytest.raises(BadInput, match=r'years\."2025/26"\.triggers'):
        parse_programme(text)


def test_meeting_intervals_must_be_positive() -> None:
    with pytest.raises(BadInput, match="meeting_interval_months.RED"):
        parse_programme(PROGRAMME_TOML + "\n[meeting_interval_months]\nRED = 0\n")


def test_not_toml_is_bad_input() -> None:
    with pytest.raises(BadInput, match="not valid TOML"):
        parse_programme("years = [")


def test_load_programme(tmp_path: Path) -> None:
    path = tmp_path / "programme.toml"
    path.write_text(PROGRAMME_TOML, encoding="utf-8")
    assert load_programme(path).year("2025/26").code == CODE
    with pytest.raises(BadInput, match="programme file not found"):
        load_programme(tmp_path / "missing.toml")
    path.write_text('[years."2025/26"]\ncode = 1\n', encoding="utf-8")
    with pytest.raises(BadInput, match=str(path)):
        load_programme(path)


def test_a_folder_or_non_utf8_programme_file_is_bad_input_naming_it(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match=f"{tmp_path} is a folder"):
        load_programme(tmp_path)
    path = tmp_path / "programme.toml"
    path.write_bytes(PROGRAMME_TOML.replace(CODE, "caf\xe9").encode("latin-1"))
    with pytest.raises(BadInput, match=f"{path}: the programme file is not UTF-8"):
        load_programme(path)


def test_a_missing_required_key_names_the_file_and_key(tmp_path: Path) -> None:
    path = tmp_path / "programme.toml"
    path.write_text('[years."2025/26"]\ndeadline_working_days = 15\n', encoding="utf-8")
    with pytest.raises(BadInput, match=r'programme.toml: years."2025/26".code: Field required'):
        load_programme(path)


def test_the_shared_sample_and_demo_programme_files_load() -> None:
    from spmon.sample_data import demo_programme

    assert demo_programme(["2025/26"]).year("2025/26").deadline_working_days == 15
    sample = Path(__file__).parents[3] / "shared" / "samples" / "programme.toml"
    if sample.is_file():
        assert load_programme(sample).has_year("2025/26")


def test_a_feedback_section_is_read_not_refused() -> None:
    text = PROGRAMME_TOML + "\n[feedback]\ncycle_start = 2024-04-01\n"
    assert parse_programme(text).feedback.cycle_start == date(2024, 4, 1)
    assert parse_programme(PROGRAMME_TOML).feedback.cycle_start is None
