#!/usr/bin/env python3
"""Summarize side-by-side.sh output (TSV, any number of files) as a markdown table:
wall min / median / max, max/min, analogy (each run, mean ± sample standard deviation), WordSim-353 and SimLex-999 rho (mean), peak RSS.
   python3 bench/word2vec/summarize.py runs.tsv [more.tsv ...]"""
import statistics
import sys
from collections import defaultdict

rows = defaultdict(list)
for path in sys.argv[1:]:
    for line in open(path):
        f = line.rstrip("\n").split("\t")
        if len(f) < 8 or f[0] == "tool":
            continue
        rows[(f[1], f[0])].append(f)

order = {"sg-ns": 0, "cbow-ns": 1, "sg-hs": 2, "cbow-hs": 3}
print("| config | tool | wall min / median / max | max/min | analogy % (mean ± sd) | WordSim-353 ρ | SimLex-999 ρ | peak RSS MB |")
print("|---|---|---|---|---|---|---|---|")
for (cfg, tool), rs in sorted(rows.items(), key=lambda kv: (order.get(kv[0][0], 9), kv[0][1])):
    wall = [float(r[3]) for r in rs]
    acc = [float(r[5]) for r in rs]
    sd = f" ± {statistics.stdev(acc):.2f}" if len(acc) > 1 else ""
    ws = statistics.mean(float(r[6]) for r in rs)
    sl = statistics.mean(float(r[7]) for r in rs)
    rss = [int(r[4]) for r in rs]
    rss_mb = f"{min(rss)}–{max(rss)}" if min(rss) != max(rss) else f"{rss[0]}"
    print(f"| {cfg} | {tool} | {min(wall):.1f} / {statistics.median(wall):.1f} / {max(wall):.1f} s | "
          f"{max(wall) / min(wall):.2f} | {', '.join(f'{a:.2f}' for a in acc)} (**{statistics.mean(acc):.2f}**{sd}) | "
          f"{ws:.3f} | {sl:.3f} | {rss_mb} |")
