#!/usr/bin/env bash
# autoreg vs gensim 4.2 (Debian's python3-gensim), alternating runs on one machine:
#   bench/word2vec/side-by-side.sh CONFIG RUNS      CONFIG: sg-ns | cbow-ns | sg-hs | cbow-hs
#   GENSIM_MODE=iterable for gensim's LineSentence path (default: corpus_file, its fast path)
# Each run: training wall (autoreg's 'done:' line, gensim's own timing; both include the vocabulary pass),
# peak RSS (/usr/bin/time), then both vector files scored by 'autoreg word2vec eval' (analogies over the
# first 30,000 words as compute-accuracy, WordSim-353 and SimLex-999 Spearman). One line per run on stdout.
set -euo pipefail
cd "$(dirname "$0")/../.."
CFG=${1:-sg-ns}; RUNS=${2:-3}
SHARED=${SHARED:-../shared}
C=$SHARED/data/gutenberg-39-books.txt
OUT=${OUT:-/tmp/w2v-sbs}; mkdir -p "$OUT"
case $CFG in
  sg-ns) A="--cbow 0 --hs 0 --negative 5"; G="--cbow 0 --hs 0 --negative 5" ;;
  cbow-ns) A="--cbow 1 --hs 0 --negative 5"; G="--cbow 1 --hs 0 --negative 5" ;;
  sg-hs) A="--cbow 0 --hs 1 --negative 0"; G="--cbow 0 --hs 1 --negative 0" ;;
  cbow-hs) A="--cbow 1 --hs 1 --negative 0"; G="--cbow 1 --hs 1 --negative 0" ;;
  *) echo "unknown config $CFG" >&2; exit 2 ;;
esac
score() {
  ./autoreg word2vec eval --vectors "$1" --analogies "$SHARED/reference/questions-words.txt" --restrict-vocab 30000 \
      --pairs "$SHARED/reference/wordsim353.tsv" --pairs "$SHARED/reference/simlex999.txt" 2>&1 \
    | awk '/total accuracy/ {for (i=1;i<=NF;i++) if ($i=="accuracy") acc=$(i+1)} /wordsim353/ {ws=$3} /simlex999/ {sl=$3}
           END {gsub(/[%,]/,"",acc); gsub(/,/,"",ws); gsub(/,/,"",sl); printf "%s\t%s\t%s", acc, ws, sl}'
}
echo -e "tool\tconfig\trun\twall_s\tpeak_rss_mb\tanalogy_pct\twordsim_rho\tsimlex_rho\tprobe_ns"
for r in $(seq 1 "$RUNS"); do
  for tool in autoreg gensim; do
    probe=$(java bench/word2vec/PingPong.java | awk '{print $3}')
    vec="$OUT/$tool-$CFG-$r.bin"
    if [ $tool = autoreg ]; then
      log=$( { /usr/bin/time -f "RSS %M" ./autoreg word2vec train --corpus "$C" --out "$vec" $A --size 100 --window 5 \
          --sample 1e-4 --threads 2 --iter 5 --min-count 5 --binary 1 ; } 2>&1 )
      wall=$(echo "$log" | grep -o "dims in [0-9.]* s" | awk '{print $3}')
    else
      log=$( { /usr/bin/time -f "RSS %M" /usr/bin/python3 bench/word2vec/gensim_train.py "$C" "$vec" $G --threads 2 \
          --iter 5 --mode "${GENSIM_MODE:-corpus_file}" ; } 2>&1 )
      wall=$(echo "$log" | grep -o "dims in [0-9.]* s" | awk '{print $3}')
    fi
    rss=$(echo "$log" | awk '/^RSS/ {printf "%.0f", $2/1024}')
    label=$tool; [ $tool = gensim ] && label="gensim-${GENSIM_MODE:-corpus_file}"
    echo -e "$label\t$CFG\t$r\t$wall\t$rss\t$(score "$vec")\t$probe"
  done
done
