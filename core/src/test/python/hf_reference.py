#!/usr/bin/env python3
"""An independent reference for Hugging Face checkpoints, written from the documented definitions of
transformers' GPT2LMHeadModel and LlamaForCausalLM (not from autoreg's code): it loads a directory by
its config.json and safetensors (single file or sharded by model.safetensors.index.json; F32, F16 or
BF16) and runs the forward pass in float32 with PyTorch.

    python3 hf_reference.py DIR '[ids...]' N
prints one JSON object: "logits" (every position of the prompt, [T][V]) and "greedy" (N tokens,
each the argmax of the last position, recomputing the whole sequence each step).

    python3 hf_reference.py --write DIR gpt2|llama F32|BF16 single|sharded VOCAB SEED '[ids...]'
writes a checkpoint with random weights in Hugging Face's layout (config.json and safetensors, as
transformers' save_pretrained lays them out; GPT-2 with the old causal-mask buffers), then prints
the logits of the prompt as above (computed from the weights as stored)."""
import json
import math
import os
import struct
import sys

import torch

DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16}


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if name.endswith(".attn.bias") or name.endswith(".attn.masked_bias"):
            continue  # GPT-2's causal-mask buffers
        if info["dtype"] not in DTYPES:
            raise SystemExit(f"{path}: tensor {name} has dtype {info['dtype']}, not F32/F16/BF16")
        a, b = info["data_offsets"]
        t = torch.frombuffer(bytearray(data[a:b]), dtype=DTYPES[info["dtype"]]).reshape(info["shape"])
        out[name] = t.to(torch.float32)
    return out


def load(directory):
    index = os.path.join(directory, "model.safetensors.index.json")
    if os.path.exists(index):
        files = sorted(set(json.load(open(index))["weight_map"].values()))
        w = {}
        for f in files:
            w.update(read_safetensors(os.path.join(directory, f)))
        return w
    return read_safetensors(os.path.join(directory, "model.safetensors"))


def causal_attention(q, k, v):
    # q: [H, T, hs], k/v: [H, T, hs]
    hs = q.shape[-1]
    att = (q @ k.transpose(-1, -2)) / math.sqrt(hs)
    t = q.shape[1]
    mask = torch.triu(torch.ones(t, t, dtype=torch.bool), diagonal=1)
    att = att.masked_fill(mask, float("-inf"))
    return torch.softmax(att, dim=-1) @ v


def gpt2_forward(cfg, w, ids):
    C, H = cfg["n_embd"], cfg["n_head"]
    eps = cfg.get("layer_norm_epsilon", 1e-5)
    act = cfg.get("activation_function", "gelu_new")
    gelu = {"gelu": lambda x: torch.nn.functional.gelu(x),
            "gelu_new": lambda x: torch.nn.functional.gelu(x, approximate="tanh")}[act]
    ln = lambda x, p: torch.nn.functional.layer_norm(x, (C,), w[p + ".weight"], w[p + ".bias"], eps)
    conv1d = lambda x, p: x @ w[p + ".weight"] + w[p + ".bias"]          # Conv1D: weight [in, out]
    T = len(ids)
    x = w["transformer.wte.weight"][ids] + w["transformer.wpe.weight"][:T]
    for l in range(cfg["n_layer"]):
        h = f"transformer.h.{l}."
        a = conv1d(ln(x, h + "ln_1"), h + "attn.c_attn")
        q, k, v = a.split(C, dim=-1)
        heads = lambda z: z.view(T, H, C // H).transpose(0, 1)
        y = causal_attention(heads(q), heads(k), heads(v)).transpose(0, 1).reshape(T, C)
        x = x + conv1d(y, h + "attn.c_proj")
        x = x + conv1d(gelu(conv1d(ln(x, h + "ln_2"), h + "mlp.c_fc")), h + "mlp.c_proj")
    x = ln(x, "transformer.ln_f")
    head = w["transformer.wte.weight"] if cfg.get("tie_word_embeddings", True) else w["lm_head.weight"]
    return x @ head.T


def llama_forward(cfg, w, ids):
    C, H = cfg["hidden_size"], cfg["num_attention_heads"]
    KV = cfg.get("num_key_value_heads", H)
    hs = cfg.get("head_dim", C // H)
    eps, theta = cfg.get("rms_norm_eps", 1e-6), cfg.get("rope_theta", 10000.0)
    if cfg.get("rope_scaling"):
        raise SystemExit("rope_scaling is not supported by this reference")
    if cfg.get("hidden_act", "silu") != "silu":
        raise SystemExit("hidden_act must be silu")
    T = len(ids)

    def rms(x, p):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * w[p + ".weight"]

    inv_freq = 1.0 / (theta ** (torch.arange(0, hs, 2, dtype=torch.float32) / hs))
    freqs = torch.outer(torch.arange(T, dtype=torch.float32), inv_freq)
    emb = torch.cat((freqs, freqs), dim=-1)
    cos, sin = emb.cos(), emb.sin()

    def rotate_half(x):
        x1, x2 = x[..., : hs // 2], x[..., hs // 2:]
        return torch.cat((-x2, x1), dim=-1)

    def rope(x):  # [heads, T, hs]
        return x * cos + rotate_half(x) * sin

    lin = lambda x, p: x @ w[p + ".weight"].T                            # nn.Linear: weight [out, in]
    x = w["model.embed_tokens.weight"][ids]
    for l in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{l}."
        h = rms(x, p + "input_layernorm")
        q = lin(h, p + "self_attn.q_proj").view(T, H, hs).transpose(0, 1)
        k = lin(h, p + "self_attn.k_proj").view(T, KV, hs).transpose(0, 1)
        v = lin(h, p + "self_attn.v_proj").view(T, KV, hs).transpose(0, 1)
        q, k = rope(q), rope(k)
        k = k.repeat_interleave(H // KV, dim=0)
        v = v.repeat_interleave(H // KV, dim=0)
        y = causal_attention(q, k, v).transpose(0, 1).reshape(T, H * hs)
        x = x + lin(y, p + "self_attn.o_proj")
        h = rms(x, p + "post_attention_layernorm")
        x = x + lin(torch.nn.functional.silu(lin(h, p + "mlp.gate_proj")) * lin(h, p + "mlp.up_proj"),
                    p + "mlp.down_proj")
    x = rms(x, "model.norm")
    head = w["model.embed_tokens.weight"] if cfg.get("tie_word_embeddings", False) else w["lm_head.weight"]
    return x @ head.T


def write_safetensors(path, tensors, dtype):
    header, chunks, offset = {}, [], 0
    for name, t in tensors.items():
        t = t.to(DTYPES[dtype]).contiguous()
        raw = t.view(torch.int16).numpy().tobytes() if dtype == "BF16" else t.numpy().tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    header["__metadata__"] = {"format": "pt"}
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for c in chunks:
            f.write(c)


def random_checkpoint(kind, vocab, seed):
    g = torch.Generator().manual_seed(seed)
    r = lambda *shape, s=0.25: torch.randn(*shape, generator=g) * s
    gain = lambda n: 1 + torch.randn(n, generator=g) * 0.2
    if kind == "gpt2":
        C, L, H, P = 32, 2, 4, 32
        cfg = {"architectures": ["GPT2LMHeadModel"], "model_type": "gpt2", "vocab_size": vocab, "n_positions": P,
               "n_ctx": P, "n_embd": C, "n_layer": L, "n_head": H, "n_inner": None, "activation_function": "gelu_new",
               "layer_norm_epsilon": 1e-5, "tie_word_embeddings": True, "torch_dtype": "float32"}
        w = {"transformer.wte.weight": r(vocab, C), "transformer.wpe.weight": r(P, C)}
        for l in range(L):
            h = f"transformer.h.{l}."
            w.update({h + "ln_1.weight": gain(C), h + "ln_1.bias": r(C, s=0.1),
                      h + "attn.bias": torch.tril(torch.ones(P, P)).view(1, 1, P, P),
                      h + "attn.c_attn.weight": r(C, 3 * C), h + "attn.c_attn.bias": r(3 * C, s=0.1),
                      h + "attn.c_proj.weight": r(C, C), h + "attn.c_proj.bias": r(C, s=0.1),
                      h + "ln_2.weight": gain(C), h + "ln_2.bias": r(C, s=0.1),
                      h + "mlp.c_fc.weight": r(C, 4 * C), h + "mlp.c_fc.bias": r(4 * C, s=0.1),
                      h + "mlp.c_proj.weight": r(4 * C, C), h + "mlp.c_proj.bias": r(C, s=0.1)})
        w.update({"transformer.ln_f.weight": gain(C), "transformer.ln_f.bias": r(C, s=0.1)})
        return cfg, w
    C, L, H, KV, I = 32, 2, 4, 2, 48
    hs = C // H
    cfg = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "vocab_size": vocab, "hidden_size": C,
           "intermediate_size": I, "num_hidden_layers": L, "num_attention_heads": H, "num_key_value_heads": KV,
           "hidden_act": "silu", "max_position_embeddings": 64, "rms_norm_eps": 1e-6, "rope_theta": 10000.0,
           "rope_scaling": None, "attention_bias": False, "tie_word_embeddings": False, "torch_dtype": "bfloat16"}
    w = {"model.embed_tokens.weight": r(vocab, C)}
    for l in range(L):
        p = f"model.layers.{l}."
        w.update({p + "input_layernorm.weight": gain(C), p + "self_attn.q_proj.weight": r(H * hs, C),
                  p + "self_attn.k_proj.weight": r(KV * hs, C), p + "self_attn.v_proj.weight": r(KV * hs, C),
                  p + "self_attn.o_proj.weight": r(C, H * hs), p + "post_attention_layernorm.weight": gain(C),
                  p + "mlp.gate_proj.weight": r(I, C), p + "mlp.up_proj.weight": r(I, C),
                  p + "mlp.down_proj.weight": r(C, I)})
    w.update({"model.norm.weight": gain(C), "lm_head.weight": r(vocab, C)})
    return cfg, w


def write(directory, kind, dtype, layout, vocab, seed):
    cfg, w = random_checkpoint(kind, vocab, seed)
    os.makedirs(directory, exist_ok=True)
    json.dump(cfg, open(os.path.join(directory, "config.json"), "w"), indent=2)
    if layout == "single":
        write_safetensors(os.path.join(directory, "model.safetensors"), w, dtype)
        return
    names = list(w)
    half = len(names) // 2
    parts = [names[:half], names[half:]]
    weight_map = {}
    for i, part in enumerate(parts):
        fname = f"model-{i + 1:05d}-of-{len(parts):05d}.safetensors"
        write_safetensors(os.path.join(directory, fname), {n: w[n] for n in part}, dtype)
        weight_map.update({n: fname for n in part})
    json.dump({"metadata": {"total_size": 0}, "weight_map": weight_map},
              open(os.path.join(directory, "model.safetensors.index.json"), "w"), indent=2)


def main():
    if sys.argv[1] == "--write":
        directory, kind, dtype, layout = sys.argv[2:6]
        write(directory, kind, dtype, layout, int(sys.argv[6]), int(sys.argv[7]))
        sys.argv = [sys.argv[0], directory, sys.argv[8], "0"]
    directory, ids, n = sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3])
    cfg = json.load(open(os.path.join(directory, "config.json")))
    forward = {"gpt2": gpt2_forward, "llama": llama_forward}.get(cfg.get("model_type"))
    if forward is None:
        raise SystemExit(f"model_type {cfg.get('model_type')} is not gpt2 or llama")
    w = load(directory)
    torch.set_num_threads(1)
    with torch.no_grad():
        logits = forward(cfg, w, ids)
        seq = list(ids)
        greedy = []
        for _ in range(n):
            nxt = int(forward(cfg, w, seq)[-1].argmax())
            greedy.append(nxt)
            seq.append(nxt)
    print(json.dumps({"logits": logits.tolist(), "greedy": greedy}))


if __name__ == "__main__":
    main()
