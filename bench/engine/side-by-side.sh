#!/usr/bin/env bash
# Training speed and memory of autoreg's fast engine side by side with the PyTorch references in
# ../shared/baselines, one run after the other on this machine, at 1 and 2 threads.
# Needs: apt-get install -y python3-torch libopenblas0-pthread (Debian's /usr/bin/python3).
# Usage: bench/engine/side-by-side.sh [gpu-shape|llama-baby|gpt2-baby|decode ...]   (default: all four)
# decode: the llama baby model (untrained: speed does not depend on the weights) generating with its
# rolling KV cache, batch 1, sampling at T=1 — the reference 500 tokens, autoreg 2,000.
# The corpus: tinyshakespeare from ../shared/data (AUTOREG_DATA_MIRROR), as the references read it.
# Prints one line per run: shape, program, threads, ms/iter (median), peak RSS MB; raw logs in $OUT.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BASE="$ROOT/../shared/baselines"
OUT="${OUT:-$(mktemp -d)}"; mkdir -p "$OUT"
PY=/usr/bin/python3
cd "$ROOT"
export AUTOREG_DATA_MIRROR="${AUTOREG_DATA_MIRROR:-$ROOT/../shared/data}"
[ -f "$BASE/train_gpt_ref.py" ] || { echo "side-by-side: $BASE is missing (the project's shared folder)" >&2; exit 2; }

# peak RSS (MB) of a command's process tree, from getrusage of the children
rss() { "$PY" -c 'import resource, subprocess, sys
r = subprocess.run(sys.argv[1:]); print("PEAK_RSS_MB", resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
sys.exit(r.returncode)' "$@"; }

torch_run() { # name threads script env...
  local name=$1 threads=$2 script=$3; shift 3
  local log="$OUT/$name-torch-$threads.log"
  env "$@" THREADS="$threads" SKIP_GEN=1 EVAL_INTERVAL=100000 bash -c "$(declare -f rss); PY=$PY; rss $PY $BASE/$script" > "$log" 2>&1
  local ms; ms=$(grep SUMMARY "$log" | sed 's/.*"ms_per_iter_median": \([0-9.]*\).*/\1/')
  printf '%-12s %-8s %s threads  %8.1f ms/iter  %6s MB\n' "$name" pytorch "$threads" "$ms" "$(grep PEAK_RSS_MB "$log" | cut -d' ' -f2)"
}

autoreg_run() { # name threads config sets...
  local name=$1 threads=$2 config=$3; shift 3
  local run="$OUT/$name-autoreg-$threads"
  local sets=(); for s in "$@"; do sets+=(--set "$s"); done
  OMP_NUM_THREADS=$threads ./autoreg train --config "$config" "${sets[@]}" --set eval_interval=100000 --set eval_iters=1 \
      --set sample_tokens=0 --out "$run" > "$run.log" 2>&1
  printf '%-12s %-8s %s threads  %8.1f ms/iter  %6s MB\n' "$name" autoreg "$threads" \
      "$(grep -o '"ms_per_iter_median" *: *[0-9.]*' "$run/final.json" | grep -o '[0-9.]*$')" \
      "$(grep -o '"peak_rss_mb" *: *[0-9]*' "$run/final.json" | grep -o '[0-9]*$')"
}

decode() {
  local log="$OUT/decode-torch.log"
  N_KV_HEAD=2 MAX_ITERS=1 THREADS=1 EVAL_INTERVAL=100000 "$PY" "$BASE/train_llama_ref.py" > "$log" 2>&1
  printf '%-12s %-8s 1 thread   %8.0f tok/s (500 tokens, rolling cache)\n' decode pytorch \
      "$(grep SUMMARY "$log" | sed 's/.*"rolling_kv_cache_tok_per_s_median": \([0-9.]*\).*/\1/')"
  local run="$OUT/decode-autoreg"
  OMP_NUM_THREADS=1 ./autoreg train --config shakespeare-char-llama-baby --set max_iters=1 --set eval_iters=1 \
      --set sample_tokens=0 --out "$run" > "$run.log" 2>&1
  OMP_NUM_THREADS=1 ./autoreg generate bench --model "$run/best" --new-tokens 2000 > "$OUT/decode-autoreg.txt" 2>&1
  printf '%-12s %-8s 1 thread   %8s tok/s (2,000 tokens, rolling cache); no cache: %s tok/s\n' decode autoreg \
      "$(grep 'rolling window' "$OUT/decode-autoreg.txt" | awk '{print $NF}')" \
      "$(grep 'no cache (full' "$OUT/decode-autoreg.txt" | awk '{print $NF}')"
}

for suite in "${@:-gpu-shape llama-baby gpt2-baby decode}"; do
  for suite1 in $suite; do
    if [ "$suite1" = decode ]; then decode; continue; fi
    for t in 1 2; do
      case $suite1 in
        gpu-shape)   # nanoGPT's GPU recipe shape with its dropout, batch 8
          torch_run gpu-shape $t train_gpt_ref.py MAX_ITERS=15 N_LAYER=6 N_HEAD=6 N_EMBD=384 BLOCK=256 BATCH=8 DROPOUT=0.2
          autoreg_run gpu-shape $t shakespeare-char batch_size=8 max_iters=15 ;;
        llama-baby)
          torch_run llama-baby $t train_llama_ref.py MAX_ITERS=200 N_KV_HEAD=2
          autoreg_run llama-baby $t shakespeare-char-llama-baby max_iters=200 ;;
        gpt2-baby)
          torch_run gpt2-baby $t train_gpt_ref.py MAX_ITERS=200
          autoreg_run gpt2-baby $t shakespeare-char-baby max_iters=200 ;;
        *) echo "unknown suite $suite1 (gpu-shape, llama-baby, gpt2-baby, decode)" >&2; exit 2 ;;
      esac
    done
  done
done
echo "logs: $OUT"
