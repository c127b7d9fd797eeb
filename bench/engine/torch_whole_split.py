# Runs a reference training script of ../shared/baselines unchanged (same environment variables), then
# evaluates the trained model on the whole validation split exactly as autoreg's val_loss_full_split:
# consecutive non-overlapping windows of BLOCK tokens from the start, BATCH at a time, a last incomplete
# batch dropped, the mean of the batch losses. Prints "WHOLE_SPLIT <loss>" after the script's own output.
# SEED=S replaces the seed of a script that fixes torch.manual_seed(1337) (train_gpt_ref.py) without editing it.
# Usage: N_KV_HEAD=2 SEED=1338 THREADS=1 SKIP_GEN=1 /usr/bin/python3 torch_whole_split.py ../shared/baselines/train_llama_ref.py
import os
import sys

import torch

if 'SEED' in os.environ:
    _seed = torch.manual_seed
    torch.manual_seed = lambda s: _seed(int(os.environ['SEED']) if s == 1337 else s)

g = {'__name__': '__main__', '__file__': sys.argv[1]}
try:  # the script's globals stay in g even when it ends with sys.exit (train_gpt_ref.py does with SKIP_GEN=1)
    exec(compile(open(sys.argv[1], encoding='utf-8').read(), sys.argv[1], 'exec'), g)
except SystemExit:
    pass
model, val, T, B = g['model'], g['val_data'], g['T'], g['B']
model.eval()
batches = (len(val) - 1) // T // B
total = 0.0
with torch.no_grad():
    for k in range(batches):
        starts = [(k * B + b) * T for b in range(B)]
        x = torch.stack([val[s:s + T] for s in starts])
        y = torch.stack([val[s + 1:s + 1 + T] for s in starts])
        total += model(x, y)[1].item()
print('WHOLE_SPLIT %.4f' % (total / batches), flush=True)
