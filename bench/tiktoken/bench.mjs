#!/usr/bin/env node
// GPT-2 encoding throughput benchmark: `tiktoken` (Rust core -> WASM) vs `js-tiktoken` (pure JS).
//
// Usage: node bench.mjs <text-file> [--warmup N] [--runs N]
//   --warmup N   untimed encodes before timing (default 3)
//   --runs N     timed encodes (default 10)
//
// Each library encodes the whole file as ONE string with "ordinary" semantics
// (no special tokens recognised; text like "<|endoftext|>" would be encoded as plain text).
// Throughput is reported in MB/s with MB = 1e6 bytes of UTF-8 input.
// Output: one JSON line per library (prefix-free, parseable), then a human-readable table.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";

const require = createRequire(import.meta.url);

function parseArgs(argv) {
  const opts = { file: null, warmup: 3, runs: 10 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--warmup" || a === "--runs") {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 0 || (a === "--runs" && v < 1)) {
        throw new Error(`bad value for ${a}: ${argv[i]}`);
      }
      opts[a.slice(2)] = v;
    } else if (a.startsWith("--warmup=")) {
      opts.warmup = Number(a.split("=")[1]);
    } else if (a.startsWith("--runs=")) {
      opts.runs = Number(a.split("=")[1]);
    } else if (a === "-h" || a === "--help") {
      console.log("usage: node bench.mjs <text-file> [--warmup N] [--runs N]");
      process.exit(0);
    } else if (opts.file === null) {
      opts.file = a;
    } else {
      throw new Error(`unexpected argument: ${a}`);
    }
  }
  if (!opts.file) throw new Error("usage: node bench.mjs <text-file> [--warmup N] [--runs N]");
  return opts;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

// Read the installed version from node_modules (package.json is not in the packages' "exports").
function pkgVersion(name) {
  const url = new URL(`./node_modules/${name}/package.json`, import.meta.url);
  return JSON.parse(readFileSync(url, "utf8")).version;
}

function bench({ name, version, load, encode, free }, text, nbytes, warmup, runs) {
  const t0 = process.hrtime.bigint();
  const enc = load();
  const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;

  let tokens = null;
  for (let i = 0; i < warmup; i++) tokens = encode(enc, text);

  const secs = [];
  for (let i = 0; i < runs; i++) {
    const s = process.hrtime.bigint();
    tokens = encode(enc, text);
    const e = process.hrtime.bigint();
    secs.push(Number(e - s) / 1e9);
  }
  const ids = Array.from(tokens); // Uint32Array or number[] -> plain array for comparison
  if (free) free(enc);

  const mbps = secs.map((t) => nbytes / 1e6 / t);
  return {
    library: name,
    version,
    encoding: "gpt2",
    semantics: "ordinary",
    bytes: nbytes,
    tokens: ids.length,
    warmup,
    runs,
    load_ms: +loadMs.toFixed(1),
    median_s: +median(secs).toFixed(6),
    min_s: +Math.min(...secs).toFixed(6),
    median_MBps: +median(mbps).toFixed(3), // median of per-run throughputs
    min_MBps: +Math.min(...mbps).toFixed(3), // slowest run
    max_MBps: +Math.max(...mbps).toFixed(3), // fastest run
    _ids: ids,
  };
}

const opts = parseArgs(process.argv.slice(2));
const text = readFileSync(opts.file, "utf8");
const nbytes = Buffer.byteLength(text, "utf8");

const libs = [
  {
    name: "tiktoken",
    version: pkgVersion("tiktoken"),
    load: () => require("tiktoken").get_encoding("gpt2"),
    encode: (enc, t) => enc.encode_ordinary(t),
    free: (enc) => enc.free(),
  },
  {
    name: "js-tiktoken",
    version: pkgVersion("js-tiktoken"),
    load: () => require("js-tiktoken").getEncoding("gpt2"),
    // allowedSpecial = [] and disallowedSpecial = [] => ordinary semantics, never throws
    encode: (enc, t) => enc.encode(t, [], []),
    free: null,
  },
];

const results = libs.map((l) => bench(l, text, nbytes, opts.warmup, opts.runs));

// Cross-check: both libraries must produce identical token ids.
const [a, b] = results.map((r) => r._ids);
const identical = a.length === b.length && a.every((x, i) => x === b[i]);

const meta = {
  node: process.version,
  platform: `${process.platform}-${process.arch}`,
  cpu: os.cpus()[0]?.model ?? "unknown",
  available_parallelism: os.availableParallelism(),
  file: opts.file,
};

for (const r of results) {
  const { _ids, ...out } = r;
  console.log(JSON.stringify({ ...out, outputs_identical: identical, ...meta }));
}

const hdr = ["library", "version", "tokens", "load ms", "median MB/s", "min MB/s", "max MB/s", "median s"];
const rows = results.map((r) => [
  r.library, r.version, String(r.tokens), r.load_ms.toFixed(1),
  r.median_MBps.toFixed(2), r.min_MBps.toFixed(2), r.max_MBps.toFixed(2), r.median_s.toFixed(4),
]);
const w = hdr.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
const line = (cells) => cells.map((c, i) => (i < 2 ? c.padEnd(w[i]) : c.padStart(w[i]))).join("  ");
console.log("");
console.log(`file: ${opts.file}  bytes: ${nbytes}  warmup: ${opts.warmup}  runs: ${opts.runs}  node: ${process.version}`);
console.log(line(hdr));
console.log(w.map((n) => "-".repeat(n)).join("  "));
for (const row of rows) console.log(line(row));
console.log(`token ids identical across libraries: ${identical}`);
if (!identical) process.exitCode = 1;
