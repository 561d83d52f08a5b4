"""Train the Rasa model only when its inputs changed.

The model file is named after a hash of the config, domain, training data and
the custom components' code,
so "is there a model for these inputs" is a file lookup that survives clones
(file times do not).
"""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

from stack.settings import RASA_VENV, REPO_ROOT

DOMAIN = REPO_ROOT / "bot" / "domain.yml"
DATA = REPO_ROOT / "bot" / "data"
# Code the trained pipeline runs: a change must retrain too.
COMPONENTS = [REPO_ROOT / "bot" / "components.py", REPO_ROOT / "knowledge" / "text.py"]


def training_inputs(config: Path, domain: Path = DOMAIN, data: Path = DATA) -> list[Path]:
    return [config, domain, *sorted(p for p in data.rglob("*") if p.is_file()), *COMPONENTS]


def inputs_hash(config: Path, domain: Path = DOMAIN, data: Path = DATA) -> str:
    digest = hashlib.sha256()
    for path in training_inputs(config, domain, data):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def ensure_trained(config: Path, model_dir: Path, domain: Path = DOMAIN, data: Path = DATA) -> Path:
    """Return the model for the current inputs, training it first if needed."""
    name = f"model-{inputs_hash(config, domain, data)}"
    model = model_dir / f"{name}.tar.gz"
    if model.exists():
        return model
    model_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            str(RASA_VENV / "bin" / "rasa"),
            "train",
            "--config",
            str(config),
            "--domain",
            str(domain),
            "--data",
            str(data),
            "--out",
            str(model_dir),
            "--fixed-model-name",
            name,
        ],
        cwd=REPO_ROOT,
        check=True,
    )
    return model
