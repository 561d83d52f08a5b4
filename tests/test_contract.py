"""The contract between Rasa, the actions and the channels, checked both ways."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from core.settings import RASA_VENV, REPO_ROOT
from dialogue.contract import Entity, Intent, Payload, Slot, build_payload, parse_payload
from dialogue.texts import CATALOGUE, catalogue, entry, text

pytestmark = pytest.mark.unit

DOMAIN = yaml.safe_load((REPO_ROOT / "bot" / "domain.yml").read_text(encoding="utf-8"))
PYTHON = [
    p
    for d in ("actions", "dialogue", "connectors", "feedback", "knowledge", "core", "stack", "backoffice")
    for p in (REPO_ROOT / d).rglob("*.py")
]


def test_intents_in_python_and_in_the_domain_are_the_same() -> None:
    assert {i.value for i in Intent} == set(DOMAIN["intents"])


def test_slots_in_python_and_in_the_domain_are_the_same() -> None:
    assert {s.value for s in Slot} == set(DOMAIN["slots"])


def test_entities_in_python_and_in_the_domain_are_the_same() -> None:
    assert {e.value for e in Entity} == set(DOMAIN["entities"])


def test_every_action_the_domain_lists_is_implemented_and_the_other_way_round() -> None:
    names = set()
    for path in (REPO_ROOT / "actions").glob("*.py"):
        names |= set(re.findall(r'return "((?:action|validate)_\w+)"', path.read_text(encoding="utf-8")))
    assert names == set(DOMAIN["actions"])


def _string_calls(path: Path, functions: set[str]) -> list[str]:
    """Calls like get_slot("x") / SlotSet("x", …) with a literal name instead of the enum."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in functions and isinstance(node.args[0].value, str):
                found.append(f"{path.relative_to(REPO_ROOT)}:{node.lineno} {name}({node.args[0].value!r})")
    return found


def test_slots_are_named_through_the_contract_not_by_literal_strings() -> None:
    offenders = [call for path in PYTHON for call in _string_calls(path, {"get_slot", "SlotSet"})]
    assert offenders == []


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ("/request_human", Payload(Intent.request_human)),
        ('/ask_procedure_detail{"detail": "fee"}', Payload(Intent.ask_procedure_detail, {"detail": "fee"})),
        (
            '/give_feedback{"answer_id": "ab12", "rating": "up"}',
            Payload(Intent.give_feedback, {"answer_id": "ab12", "rating": "up"}),
        ),
    ],
)
def test_payloads_round_trip(payload: str, expected: Payload) -> None:
    assert parse_payload(payload) == expected
    assert build_payload(expected.intent, **expected.entities) == payload


@pytest.mark.parametrize(
    "payload",
    ["/khong_co_intent_nay", '/ask_procedure{"khong_co": "x"}', "/ask_procedure{broken", '/stop["a"]', "xin chào", ""],
)
def test_anything_else_is_not_a_payload(payload: str) -> None:
    assert parse_payload(payload) is None


def test_building_a_payload_with_an_unknown_entity_is_an_error() -> None:
    with pytest.raises(ValueError):
        build_payload(Intent.ask_procedure, khong_co="x")


def _keys(node: object, prefix: str = "") -> set[str]:
    if isinstance(node, dict):
        return {k for key, value in node.items() for k in _keys(value, f"{prefix}{key}.")}
    return {prefix.rstrip(".")}


TEXT_FUNCTIONS = {"text", "entry", "catalogue_text", "_reply", "say"}


def _text_keys(path: Path) -> set[str]:
    """Keys passed to the catalogue: text("a.b"), and f"small_talk.{key}" as "small_talk.{"."""
    keys = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and node.args):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if name not in TEXT_FUNCTIONS:
            continue
        first = node.args[0]
        choices = [first.body, first.orelse] if isinstance(first, ast.IfExp) else [first]
        keys |= {c.value for c in choices if isinstance(c, ast.Constant) and isinstance(c.value, str)}
        if isinstance(first, ast.JoinedStr) and isinstance(first.values[0], ast.Constant):
            keys.add(str(first.values[0].value) + "{")
    return keys


def test_every_catalogue_sentence_is_used_and_every_key_used_exists() -> None:
    used = {key for path in PYTHON for key in _text_keys(path)}
    for key in used:
        if "{" not in key:
            entry(key)  # raises for a key the catalogue does not have
    prefixes = {key.rstrip("{") for key in used}
    unused = {key for key in _keys(catalogue()) if not any(key == p or key.startswith(p) for p in prefixes)}
    assert unused == set(), f"sentences in {CATALOGUE.name} that nothing says"


def test_placeholders_must_be_filled() -> None:
    with pytest.raises(KeyError):
        text("answer.long_question")
    assert "500" in text("answer.long_question", limit=500)


def test_the_layers_the_rasa_environment_imports_stay_light() -> None:
    """The channels in the Rasa environment import the contract, the texts and
    knowledge/text.py; knowledge/__init__ must not drag numpy or torch in."""
    code = (
        "import sys; import core.settings, dialogue.contract, dialogue.texts, knowledge.text, connectors.common; "
        "heavy = {'numpy', 'torch', 'faiss', 'sentence_transformers', 'sqlalchemy'} & set(sys.modules); "
        "print(sorted(heavy))"
    )
    for python in (RASA_VENV / "bin" / "python", Path(sys.executable)):
        done = subprocess.run([str(python), "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
        assert done.stdout.strip() == "[]", f"{python}: {done.stdout}"


# Which project packages each layer may import: each only those below it.
ALLOWED_IMPORTS = {
    "core": set(),
    "knowledge": {"core", "knowledge"},
    "feedback": {"core", "feedback"},
    "dialogue": {"core", "knowledge", "feedback", "dialogue"},
    "actions": {"core", "knowledge", "feedback", "dialogue", "actions"},
    "connectors": {"core", "dialogue", "connectors"},
    # the admin console sits on top, beside the channels; it runs the evaluation set of bench/
    "backoffice": {"core", "knowledge", "feedback", "dialogue", "bench", "backoffice"},
}
PROJECT = {
    "core",
    "knowledge",
    "feedback",
    "dialogue",
    "actions",
    "connectors",
    "stack",
    "bench",
    "bot",
    "tests",
    "backoffice",
}


def _imported_packages(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found & PROJECT


@pytest.mark.parametrize("layer", sorted(ALLOWED_IMPORTS))
def test_each_layer_imports_only_the_layers_below_it(layer: str) -> None:
    offenders = {
        str(path.relative_to(REPO_ROOT)): sorted(_imported_packages(path) - ALLOWED_IMPORTS[layer])
        for path in (REPO_ROOT / layer).rglob("*.py")
        if _imported_packages(path) - ALLOWED_IMPORTS[layer]
    }
    assert offenders == {}
