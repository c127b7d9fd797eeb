#!/usr/bin/python3
"""Trains word vectors with gensim (Debian's python3-gensim 4.2) on the settings of autoreg's
word2vec benchmark and saves them in the C tool's binary format, so that `autoreg word2vec eval`
scores both the same way. Prints the training wall time (the vocabulary pass included, as
autoreg's `done:` line does).

usage: /usr/bin/python3 bench/word2vec/gensim_train.py CORPUS OUT.bin [--cbow 0|1] [--hs 0|1]
       [--negative 5] [--threads 2] [--iter 5] [--seed 1] [--mode corpus_file|iterable]

--mode corpus_file (default) is gensim's fast path (its Cython reader, one file offset per
worker); iterable streams LineSentence through the job queue, as most gensim code does.
"""
import argparse
import logging
import time

from gensim.models import Word2Vec
from gensim.models.word2vec import LineSentence


def main():
    p = argparse.ArgumentParser()
    p.add_argument("corpus")
    p.add_argument("out")
    p.add_argument("--cbow", type=int, default=0)
    p.add_argument("--hs", type=int, default=0)
    p.add_argument("--negative", type=int, default=5)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--iter", type=int, default=5)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--mode", choices=["corpus_file", "iterable"], default="corpus_file")
    a = p.parse_args()
    logging.basicConfig(level=logging.WARNING)
    t0 = time.time()
    source = {"corpus_file": a.corpus} if a.mode == "corpus_file" else {"sentences": LineSentence(a.corpus)}
    m = Word2Vec(**source, vector_size=100, window=5, min_count=5, sample=1e-4,
                 sg=0 if a.cbow else 1, hs=a.hs, negative=a.negative, workers=a.threads,
                 epochs=a.iter, seed=a.seed, alpha=0.05 if a.cbow else 0.025)
    wall = time.time() - t0
    m.wv.save_word2vec_format(a.out, binary=True)
    print(f"gensim: {len(m.wv)} words x {m.wv.vector_size} dims in {wall:.1f} s -> {a.out}")


if __name__ == "__main__":
    main()
