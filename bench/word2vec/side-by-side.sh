#!/usr/bin/env bash
# autoreg vs gensim 4.2 (Debian's python3-gensim) [vs the original C word2vec], alternating runs on one machine:
#   bench/word2vec/side-by-side.sh CONFIG RUNS      CONFIG: sg-ns | cbow-ns | sg-hs | cbow-hs
#   GENSIM_MODE=iterable for gensim's LineSentence path (default: corpus_file, its fast path)
#   CORPUS=FILE to train on another corpus (default: $SHARED/data/gutenberg-39-books.txt; relative paths
#     are taken from the repository root)
#   WORD2VEC_C=/path/to/word2vec adds Mikolov's C tool as a third run per round (order: autoreg, gensim, c),
#     labelled word2vec.c. Build it outside the repo from github.com/tmikolov/word2vec with its end-of-file
#     bug fixed (one line: TrainModelThread must reset eof = 0 when it starts the next iteration, or the thread
#     that reaches the end of the file trains one epoch of five) - see bench/word2vec/word2vec-c.md.
# Each run: training wall (autoreg's 'done:' line, gensim's own timing; both include the vocabulary pass;
# the C tool prints no total, so its wall is date +%s.%N around the whole call, vocabulary pass, the
# filling of its 400 MB negative-sampling table (ns configs) and the writing of the vectors included),
# peak RSS (/usr/bin/time), then each vector file scored by 'autoreg word2vec eval' (analogies over the
# first 30,000 words as compute-accuracy, WordSim-353 and SimLex-999 Spearman). One line per run on stdout.
# Round r runs every tool with seed SEED0 + r (default SEED0=0: seeds 1, 2, 3, ...): autoreg --seed, gensim seed=,
# and the C tool W2V_SEED= (read only by a build with the seed patch of bench/word2vec/word2vec-c.md; the C tool
# itself has no seed). With two threads each tool's runs at one seed differ only by the threads' timing, which
# moves the analogy accuracy far less than the seed does: comparing tools at one seed each compares two draws.
set -euo pipefail
cd "$(dirname "$0")/../.."
CFG=${1:-sg-ns}; RUNS=${2:-3}
SHARED=${SHARED:-../shared}
C=${CORPUS:-$SHARED/data/gutenberg-39-books.txt}
TOOLS=${TOOLS:-autoreg gensim}   # e.g. TOOLS=gensim GENSIM_MODE=iterable for one tool alone
if [ -n "${WORD2VEC_C:-}" ]; then
  [ -x "$WORD2VEC_C" ] || { echo "WORD2VEC_C=$WORD2VEC_C is not an executable" >&2; exit 2; }
  TOOLS="$TOOLS c"
fi
OUT=${OUT:-/tmp/w2v-sbs}; mkdir -p "$OUT"
case $CFG in
  sg-ns) A="--cbow 0 --hs 0 --negative 5"; G="--cbow 0 --hs 0 --negative 5"; W="-cbow 0 -hs 0 -negative 5" ;;
  cbow-ns) A="--cbow 1 --hs 0 --negative 5"; G="--cbow 1 --hs 0 --negative 5"; W="-cbow 1 -hs 0 -negative 5" ;;
  sg-hs) A="--cbow 0 --hs 1 --negative 0"; G="--cbow 0 --hs 1 --negative 0"; W="-cbow 0 -hs 1 -negative 0" ;;
  cbow-hs) A="--cbow 1 --hs 1 --negative 0"; G="--cbow 1 --hs 1 --negative 0"; W="-cbow 1 -hs 1 -negative 0" ;;
  *) echo "unknown config $CFG" >&2; exit 2 ;;
esac
score() {
  ./autoreg word2vec eval --vectors "$1" --analogies "$SHARED/reference/questions-words.txt" --restrict-vocab 30000 \
      --pairs "$SHARED/reference/wordsim353.tsv" --pairs "$SHARED/reference/simlex999.txt" 2>&1 \
    | awk '/total accuracy/ {for (i=1;i<=NF;i++) if ($i=="accuracy") acc=$(i+1)} /wordsim353/ {ws=$3} /simlex999/ {sl=$3}
           END {gsub(/[%,]/,"",acc); gsub(/,/,"",ws); gsub(/,/,"",sl); printf "%s\t%s\t%s", acc, ws, sl}'
}
echo -e "tool\tconfig\tseed\twall_s\tpeak_rss_mb\tanalogy_pct\twordsim_rho\tsimlex_rho\tprobe_ns"
for r in $(seq 1 "$RUNS"); do
  seed=$(( ${SEED0:-0} + r ))
  for tool in $TOOLS; do
    probe=$(java bench/word2vec/PingPong.java | awk '{print $3}')
    vec="$OUT/$tool-$CFG-$r.bin"
    if [ $tool = autoreg ]; then
      log=$( { /usr/bin/time -f "RSS %M" ./autoreg word2vec train --corpus "$C" --out "$vec" $A --size 100 --window 5 \
          --sample 1e-4 --threads 2 --iter 5 --min-count 5 --binary 1 --seed $seed ; } 2>&1 )
      wall=$(echo "$log" | grep -o "dims in [0-9.]* s" | awk '{print $3}')
    elif [ $tool = c ]; then
      # its progress goes to stdout without a final newline: keep stdout in a log, stderr holds time's line
      t0=$(date +%s.%N)
      log=$( { W2V_SEED=$seed /usr/bin/time -f "RSS %M" "$WORD2VEC_C" -train "$C" -output "$vec" $W -size 100 -window 5 \
          -sample 1e-4 -threads 2 -iter 5 -min-count 5 -binary 1 >"$OUT/$tool-$CFG-$r.log" ; } 2>&1 )
      t1=$(date +%s.%N)
      wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}')
    else
      log=$( { /usr/bin/time -f "RSS %M" /usr/bin/python3 bench/word2vec/gensim_train.py "$C" "$vec" $G --threads 2 \
          --iter 5 --seed $seed --mode "${GENSIM_MODE:-corpus_file}" ; } 2>&1 )
      wall=$(echo "$log" | grep -o "dims in [0-9.]* s" | awk '{print $3}')
    fi
    rss=$(echo "$log" | awk '/^RSS/ {printf "%.0f", $2/1024}')
    label=$tool; [ $tool = gensim ] && label="gensim-${GENSIM_MODE:-corpus_file}"; [ $tool = c ] && label=word2vec.c
    echo -e "$label\t$CFG\t$seed\t$wall\t$rss\t$(score "$vec")\t$probe"
  done
done
