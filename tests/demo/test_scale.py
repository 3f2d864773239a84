"""Demo scales above 1: whole multiples of the seed's province, up to 5 (the room the
synthetic division codes leave); the map stays well formed and every count grows with
the scale."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from renda_core.cli import cli
from renda_core.demo import SEED, check_scale, targets_for
from renda_core.demo.geography import build_map
from renda_core.demo.targets import MAX_SCALE
from renda_core.domain.errors import InvalidInput


@pytest.mark.parametrize("scale", [2, 3.0, 5])
def test_whole_scales_up_to_the_maximum_are_accepted(scale: float) -> None:
    assert check_scale(scale) == float(scale)


@pytest.mark.parametrize("scale", [1.5, 2.5, 6, 10, MAX_SCALE + 1, -2])
def test_other_scales_above_one_are_invalid_input(scale: float) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_scale(scale)
    assert "scale" in caught.value.message and str(MAX_SCALE) in caught.value.message


def test_scale_six_on_the_command_line_is_refused_before_anything(tmp_path: object) -> None:
    result = CliRunner().invoke(
        cli, ["demo", "--store", f"{tmp_path}/d.sqlite", "--quiet", "--scale", "6"]
    )
    assert result.exit_code == 3, result.output
    assert "scale" in result.output


def test_targets_at_scale_five_are_five_times_the_seed() -> None:
    t = targets_for(5)
    assert t.divisions == 5 * SEED["divisions"]
    assert t.deputies_entered == 5 * sum(SEED["entered"].values())
    assert t.activities == 5 * SEED["activities"]
    assert t.items_pushed == 5 * SEED["items_pushed"]
    assert t.suggestions_handled == 5 * SEED["suggestions_handled"]
    assert t.coverage_rate == 0.97


@pytest.mark.parametrize("scale", range(1, MAX_SCALE + 1))
def test_the_map_has_unique_codes_within_each_kind_range(scale: int) -> None:
    t = targets_for(scale)
    places = build_map(t.divisions, t.divisions_covered).places
    codes = [p.code for p in places]
    assert len(codes) == len(set(codes)) == t.divisions
    assert sum(p.covered for p in places) == t.divisions_covered
    for p in places:
        serial = int(p.code[6:])
        # streets 001…099, towns 101…199, townships 201…299: no range spills into the next
        assert 1 <= serial % 100 <= 99, p.code
        assert (serial < 100) == (p.kind == "street"), p.code
        assert serial < 300, p.code
