import shutil
from pathlib import Path

import pytest

from stack.training import inputs_hash

pytestmark = pytest.mark.unit

REPO = Path(__file__).resolve().parent.parent


def test_model_name_changes_only_when_training_inputs_change(tmp_path: Path) -> None:
    shutil.copytree(REPO / "bot", tmp_path / "bot")
    config = tmp_path / "config.yml"
    shutil.copy(REPO / "config.yml", config)
    domain, data = tmp_path / "bot" / "domain.yml", tmp_path / "bot" / "data"
    before = inputs_hash(config, domain, data)
    assert inputs_hash(config, domain, data) == before
    (tmp_path / "bot" / "credentials.yml").write_text("# not a training input\n")
    assert inputs_hash(config, domain, data) == before
    nlu = data / "nlu.yml"
    nlu.write_text(nlu.read_text(encoding="utf-8") + "      - chào buổi tối\n", encoding="utf-8")
    assert inputs_hash(config, domain, data) != before
