"""calibration.json is refused when the fusion drops a content ranking."""

import json
from pathlib import Path

import pytest

from knowledge.search import CALIBRATION_FILE, load_calibration

pytestmark = pytest.mark.unit


def test_the_shipped_calibration_loads() -> None:
    assert set(load_calibration()["fusion"]) == {"accented", "unaccented"}


@pytest.mark.parametrize("ranking", ["dense", "passages"])
def test_a_fit_that_drops_a_content_ranking_is_refused(tmp_path: Path, ranking: str) -> None:
    calibration = json.loads(CALIBRATION_FILE.read_text(encoding="utf-8"))
    calibration["fusion"]["unaccented"][ranking] = 0.0
    path = tmp_path / "calibration.json"
    path.write_text(json.dumps(calibration), encoding="utf-8")
    with pytest.raises(ValueError, match=ranking):
        load_calibration(path)
