import shutil
from pathlib import Path

import pytest
import yaml

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


def _without_epochs(config: Path) -> dict:
    """The config with every ``epochs`` and the assistant id taken out."""
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data.pop("assistant_id", None)
    for component in (*data["pipeline"], *data["policies"]):
        component.pop("epochs", None)
    return data


def test_the_suites_fast_config_is_the_production_pipeline_with_fewer_epochs() -> None:
    """The stack tests train tests/rasa/config.fast.yml: it must be the shipped pipeline,
    or they test a different assistant from the one `make run` starts."""
    assert _without_epochs(REPO / "tests" / "rasa" / "config.fast.yml") == _without_epochs(REPO / "config.yml")
