"""NLU quality: `rasa test nlu` 5-fold cross-validation of config.yml on bot/data.

Run: .venv/bin/python -m bench.nlu_cross_validation
Writes bench/results/nlu_cross_validation.md and .json (intent macro-F1 and
per-intent F1, entity F1 per entity). The suite runs the same evaluation
(tests/test_nlu_quality.py) and enforces the gates below.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import time
from pathlib import Path

from bench.nlu_folds import FOLD_SEED
from stack.settings import RASA_VENV, REPO_ROOT
from stack.training import COMPONENTS, DATA

RESULTS = Path(__file__).resolve().parent / "results"
FOLDS = 5
# Issue 11's gate on the honest (grouped) folds; the suite enforces it.
INTENT_MACRO_F1_GATE = 0.90
PROCEDURE_F1_GATE = 0.85
COMMAND = ".venv/bin/python -m bench.nlu_cross_validation"
# Five DIET trainings: ~11 min on an idle 2-core machine, over an hour when
# the cores are shared (a run was killed at the old 3,600 s limit).
CV_TIMEOUT_SECONDS = 3 * 3600
# Rasa's own folds put the two spellings of one example (with and without
# diacritics, the same to the accent-folding tokenizer) in different folds;
# bench/nlu_folds.py groups them, seeded so that reruns give the same figures.
GROUPED_RASA = (
    "import sys, numpy, rasa.nlu.test; from bench.nlu_folds import FOLD_SEED, grouped_folds; "
    "numpy.random.seed(FOLD_SEED); rasa.nlu.test.generate_folds = grouped_folds; "
    "sys.argv[0] = 'rasa'; from rasa.__main__ import main; main()"
)


def nlu_inputs_hash(config: Path) -> str:
    """What the NLU evaluation depends on: the pipeline, the NLU data and the component code."""
    digest = hashlib.sha256()
    for path in [config, *sorted(DATA.glob("*.yml")), *COMPONENTS, Path(__file__).with_name("nlu_folds.py")]:
        if path.name in ("rules.yml", "stories.yml"):
            continue
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cross_validate(out_dir: Path, config: Path = REPO_ROOT / "config.yml", folds: int = FOLDS) -> dict:
    """Run Rasa's cross-validation and condense its reports."""
    started = time.monotonic()
    completed = subprocess.run(
        [
            str(RASA_VENV / "bin" / "python"),
            "-c",
            GROUPED_RASA,
            "test",
            "nlu",
            "--cross-validation",
            "--folds",
            str(folds),
            "--config",
            str(config),
            "--nlu",
            "bot/data",
            "--out",
            str(out_dir),
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "RASA_TELEMETRY_ENABLED": "false", "PYTHONPATH": str(REPO_ROOT)},
        timeout=CV_TIMEOUT_SECONDS,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"rasa test nlu failed:\n{completed.stderr[-3000:]}")
    intents = json.loads((out_dir / "intent_report.json").read_text(encoding="utf-8"))
    entities = json.loads((out_dir / "DIETClassifier_report.json").read_text(encoding="utf-8"))
    per_intent = {
        name: {
            "f1": round(row["f1-score"], 3),
            "support": row["support"],
            "confused_with": row.get("confused_with", {}),
        }
        for name, row in sorted(intents.items())
        if isinstance(row, dict) and "avg" not in name and "f1-score" in row
    }
    per_entity = {
        name: {"f1": round(row["f1-score"], 3), "support": row["support"]}
        for name, row in sorted(entities.items())
        if isinstance(row, dict) and "avg" not in name and "f1-score" in row
    }
    return {
        "folds": folds,
        "config": str(config.relative_to(REPO_ROOT)),
        "inputs_hash": nlu_inputs_hash(config),
        "examples": intents["macro avg"]["support"],
        "intent_accuracy": round(intents["accuracy"], 3),
        "intent_macro_f1": round(intents["macro avg"]["f1-score"], 3),
        "entity_macro_f1": round(entities["macro avg"]["f1-score"], 3),
        "intents": per_intent,
        "entities": per_entity,
        "seconds": round(time.monotonic() - started),
    }


def main() -> None:
    report = cross_validate(REPO_ROOT / "var" / "bench" / "nlu-cv")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "nlu_cross_validation.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    procedure = report["entities"]["procedure"]["f1"]
    lines = [
        "# NLU cross-validation",
        "",
        f"`{COMMAND}` — `rasa test nlu --cross-validation --folds {FOLDS}` with `{report['config']}` "
        f"on {report['examples']} examples, folds grouped so that an example and its twins (the same words with or "
        f"without diacritics, or an exact duplicate) are never split (`bench/nlu_folds.py`, seed {FOLD_SEED}); "
        f"{report['seconds']} s on this machine.",
        "",
        f"- Intent macro-F1: **{report['intent_macro_f1']}** (gate {INTENT_MACRO_F1_GATE}), "
        f"accuracy {report['intent_accuracy']}",
        f"- Procedure entity F1: **{procedure}** (gate {PROCEDURE_F1_GATE})",
        "",
        "| intent | F1 | examples | most confused with |",
        "| --- | --- | --- | --- |",
    ]
    for name, row in report["intents"].items():
        confused = ", ".join(f"{k} ({v})" for k, v in list(row["confused_with"].items())[:2]) or "—"
        lines.append(f"| {name} | {row['f1']} | {row['support']} | {confused} |")
    lines += ["", "| entity | F1 | annotated tokens |", "| --- | --- | --- |"]
    for name, row in report["entities"].items():
        lines.append(f"| {name} | {row['f1']} | {row['support']} |")
    lines += [
        "",
        "Each question is written with and without diacritics in the training data; the tokenizer folds",
        "accents, so the two spellings are one example to the model. Rasa's own folds split such pairs and",
        "then test on copies of training examples; the grouped folds above do not, so these figures measure",
        "questions the model has not seen in any spelling.",
    ]
    (RESULTS / "nlu_cross_validation.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
