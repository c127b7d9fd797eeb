package org.autoreg.word2vec;

import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.autoreg.core.Rng;
import org.autoreg.core.Simd;
import org.autoreg.tokenizer.Normalizer;
import org.autoreg.tokenizer.PreToken;
import org.autoreg.tokenizer.PreTokenizer;

/**
 * Trains word vectors: skip-gram or CBOW with negative sampling and/or hierarchical softmax,
 * frequent-word subsampling, a random window shrink and a linearly decaying learning rate —
 * word2vec.c's algorithm, in plain
 * Java over float arrays (faster here than ND4J ops or DL4J's Word2Vec; see BENCHMARKS.md), with
 * explicit SIMD ({@link VectorRowOps}) when the JVM runs with {@code --add-modules jdk.incubator.vector}.
 *
 * <pre>{@code
 * KeyedVectors kv = Word2Vec.train(Word2VecConfig.defaults().withCbow(false),
 *         Word2Vec.textFile(Path.of("corpus.txt"), null), null);
 * kv.mostSimilar("king", 10);
 * }</pre>
 *
 * <p>The corpus is streamed: one pass counts the vocabulary, then each epoch reads it again, so
 * memory grows with vocabulary × size, not with the corpus. Threads update the shared vectors
 * without locks (hogwild, as the C tool), each working through its own share of the corpus when
 * the corpus can be cut (a text file, a List). With one thread a run is deterministic: the same seed
 * gives bit-identical vectors. Each line is a sentence (cut into pieces of maxSentenceLength
 * words); words not in the vocabulary are skipped.
 */
public final class Word2Vec {
    private static final int EXP_TABLE_SIZE = 1000;
    private static final int MAX_EXP = 6;
    private static final int CHUNK_WORDS = 10_000;

    private Word2Vec() {
    }

    /** Receives training progress (from training threads; keep it cheap). */
    @FunctionalInterface
    public interface Progress {
        /** {@code done} of {@code total} words (all epochs) processed; the current learning rate. */
        void update(long done, long total, double alpha);
    }

    /**
     * The sentences of a UTF-8 text file, one per line, split on whitespace (space, tab) as the C
     * tool does; {@code normalizer} (e.g. lowercase, NFKD; may be null) is applied to each line
     * first. Each iteration reads the file again. With several threads, each trains on its own
     * contiguous share of the file, as the C tool's threads do ({@link Shares}).
     */
    public static Iterable<List<String>> textFile(Path file, Normalizer normalizer) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("corpus " + file + " is not a file");
        }
        try {
            return new TextFile(file, normalizer, 0, Files.size(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A corpus that can be cut into contiguous shares, one per training thread. Threads that each
     * work through their own part of the corpus (the C tool's threads each start at their own
     * offset of the file) learn better vectors than threads taking turns through it in order
     * (BENCHMARKS.md, word2vec). A plain {@code Iterable} is shared in order instead.
     */
    interface Shares {
        /** Share {@code i} of {@code n}: the shares together hold every sentence once, in order. */
        Iterable<List<String>> share(int i, int n);
    }

    /** The lines in bytes [start, end) of a file (start and end at line starts). */
    private record TextFile(Path file, Normalizer normalizer, long start, long end)
            implements Iterable<List<String>>, Shares {
        @Override
        public Iterable<List<String>> share(int i, int n) {
            long size = end - start;
            return new TextFile(file, normalizer, lineStart(start + size * i / n), lineStart(start + size * (i + 1) / n));
        }

        /** The first line start at or after byte {@code offset} (within [start, end]). */
        private long lineStart(long offset) {
            if (offset <= start || offset >= end) {
                return Math.min(Math.max(offset, start), end);
            }
            try (FileChannel ch = FileChannel.open(file)) {
                ch.position(offset - 1);                    // a '\n' just before offset makes offset a line start
                ByteBuffer b = ByteBuffer.allocate(1 << 12);
                long pos = offset - 1;
                while (pos < end) {
                    b.clear();
                    int n = ch.read(b);
                    if (n < 0) {
                        return end;
                    }
                    for (int k = 0; k < n; k++, pos++) {
                        if (b.get(k) == '\n') {
                            return Math.min(pos + 1, end);
                        }
                    }
                }
                return end;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Iterator<List<String>> iterator() {
            PreTokenizer split = PreTokenizer.whitespaceSplit();
            return new Iterator<>() {
                private final BufferedReader in = open(file, start, end - start);
                private List<String> next = advance();

                private List<String> advance() {
                    try {
                        String line = in.readLine();
                        if (line == null) {
                            in.close();
                            return null;
                        }
                        if (normalizer != null) {
                            line = normalizer.normalize(line);
                        }
                        List<PreToken> pieces = split.preTokenize(line);
                        List<String> words = new ArrayList<>(pieces.size());
                        for (PreToken p : pieces) {
                            words.add(p.text());
                        }
                        return words;
                    } catch (CharacterCodingException e) {
                        throw new UncheckedIOException(new IOException(file + " is not UTF-8 text (" + e + ")"));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }

                @Override
                public boolean hasNext() {
                    return next != null;
                }

                @Override
                public List<String> next() {
                    if (next == null) {
                        throw new NoSuchElementException();
                    }
                    List<String> s = next;
                    next = advance();
                    return s;
                }
            };
        }
    }

    /** {@code length} bytes of {@code file} from {@code offset}, decoded as strict UTF-8. */
    private static BufferedReader open(Path file, long offset, long length) {
        try {
            FileChannel ch = FileChannel.open(file);
            ch.position(offset);
            InputStream bounded = new FilterInputStream(Channels.newInputStream(ch)) {
                private long left = length;

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
                }

                @Override
                public int read(byte[] buf, int off, int len) throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int n = super.read(buf, off, (int) Math.min(len, left));
                    if (n > 0) {
                        left -= n;
                    }
                    return n;
                }
            };
            return new BufferedReader(new InputStreamReader(bounded, StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)), 1 << 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code n} shares of {@code sentences} when it can be cut ({@link Shares}, or a List); else null. */
    private static List<Iterable<List<String>>> shares(Iterable<List<String>> sentences, int n) {
        List<Iterable<List<String>>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (sentences instanceof Shares s) {
                out.add(s.share(i, n));
            } else if (sentences instanceof List<List<String>> l) {
                out.add(l.subList((int) ((long) l.size() * i / n), (int) ((long) l.size() * (i + 1) / n)));
            } else {
                return null;
            }
        }
        return out;
    }

    /**
     * Trains vectors on {@code sentences} (iterated once for the vocabulary, then once per epoch).
     * {@code progress} may be null.
     */
    public static KeyedVectors train(Word2VecConfig cfg, Iterable<List<String>> sentences, Progress progress) {
        return train(cfg, sentences, progress, SIMD);
    }

    /**
     * Whether training uses explicit SIMD ({@link VectorRowOps}): when {@link Simd#enabled()}. The
     * two paths add in different orders, so their vectors differ in the last bits; each is
     * deterministic with one thread.
     */
    static final boolean SIMD = Simd.enabled() && vectorOpsLoad();

    private static boolean vectorOpsLoad() {
        try {
            return VectorRowOps.dot(new float[] {2f}, 0, new float[] {3f}, 0, 1) == 6f;
        } catch (LinkageError e) {
            return false;
        }
    }

    /** As {@link #train(Word2VecConfig, Iterable, Progress)}, choosing the SIMD path or the plain one. */
    static KeyedVectors train(Word2VecConfig cfg, Iterable<List<String>> sentences, Progress progress, boolean simd) {
        Vocab vocab = Vocab.build(sentences, cfg.minCount());
        int size = cfg.size();
        int v = vocab.size();
        if ((long) v * size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(v + " words × " + size + " dimensions do not fit one array; raise "
                    + "--min-count or lower --size");
        }
        float[] syn0 = new float[v * size];
        float[] syn1 = cfg.negative() > 0 ? new float[v * size] : null;
        float[] syn1hs = cfg.hs() ? new float[Math.max(1, v - 1) * size] : null;
        Rng init = new Rng(cfg.seed());
        for (int i = 0; i < syn0.length; i++) {
            syn0[i] = (float) ((init.nextDouble() - 0.5) / size);
        }
        Model m = new Model(cfg, vocab, syn0, syn1, syn1hs, simd);
        ChunkSource source = new ChunkSource(sentences, vocab, cfg, 0);
        AtomicLong done = new AtomicLong();
        long total = (long) cfg.iter() * vocab.trainWords;
        if (cfg.threads() == 1) {
            new Worker(m).run(source, done, total, progress);
        } else {
            ExecutorService pool = Executors.newFixedThreadPool(cfg.threads(), r -> {
                Thread t = new Thread(r, "word2vec");
                t.setDaemon(true);
                return t;
            });
            List<Iterable<List<String>>> shares = shares(sentences, cfg.threads());
            try {
                List<Future<?>> fs = new ArrayList<>();
                for (int t = 0; t < cfg.threads(); t++) {
                    ChunkSource mine = shares == null ? source : new ChunkSource(shares.get(t), vocab, cfg, t);
                    fs.add(pool.submit(() -> new Worker(m).run(mine, done, total, progress)));
                }
                for (Future<?> f : fs) {
                    f.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("word2vec training interrupted", e);
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException(e.getCause());
            } finally {
                pool.shutdownNow();
            }
        }
        if (progress != null) {
            progress.update(total, total, cfg.startingAlpha() * 1e-4);
        }
        return new KeyedVectors(vocab.words, size, syn0, vocab.counts);
    }

    /**
     * The shared state of one training run: input vectors syn0, the output vectors of negative
     * sampling syn1 and of the hierarchical softmax's inner nodes syn1hs (each null when unused).
     */
    private record Model(Word2VecConfig cfg, Vocab vocab, float[] syn0, float[] syn1, float[] syn1hs, boolean simd,
            NoiseSampler noise, HuffmanTree tree, float[] keep, float[] expTable) {
        Model(Word2VecConfig cfg, Vocab vocab, float[] syn0, float[] syn1, float[] syn1hs, boolean simd) {
            this(cfg, vocab, syn0, syn1, syn1hs, simd, cfg.negative() > 0 ? new NoiseSampler(vocab.counts) : null,
                    cfg.hs() ? new HuffmanTree(vocab.counts) : null, keepProbabilities(cfg, vocab), sigmoidTable());
        }

        /** word2vec.c's subsampling: word w survives if (√(c/(s·T)) + 1)·(s·T)/c ≥ U(0,1). */
        private static float[] keepProbabilities(Word2VecConfig cfg, Vocab vocab) {
            float[] keep = new float[vocab.size()];
            double st = cfg.sample() * vocab.trainWords;
            for (int w = 0; w < keep.length; w++) {
                keep[w] = cfg.sample() <= 0 || w == 0 ? 2f
                        : (float) ((Math.sqrt(vocab.counts[w] / st) + 1) * st / vocab.counts[w]);
            }
            return keep;
        }

        /** σ at 1000 points of [−6, 6), read as word2vec.c reads it. */
        private static float[] sigmoidTable() {
            float[] t = new float[EXP_TABLE_SIZE];
            for (int i = 0; i < EXP_TABLE_SIZE; i++) {
                double e = Math.exp((i / (double) EXP_TABLE_SIZE * 2 - 1) * MAX_EXP);
                t[i] = (float) (e / (e + 1));
            }
            return t;
        }
    }

    /** A piece of the corpus: sentences of word ids, and the seed of its random stream. */
    private record Chunk(List<int[]> sentences, long words, long seed) {
    }

    /** Hands out the corpus, epoch after epoch, in chunks of about 10,000 words. Thread-safe. */
    private static final class ChunkSource {
        private final Iterable<List<String>> sentences;
        private final Vocab vocab;
        private final Word2VecConfig cfg;
        private final Rng seeds;
        private Iterator<List<String>> it;
        private int epoch;

        /** {@code share}: which thread's share of the corpus (0 when the threads share one source). */
        ChunkSource(Iterable<List<String>> sentences, Vocab vocab, Word2VecConfig cfg, int share) {
            this.sentences = sentences;
            this.vocab = vocab;
            this.cfg = cfg;
            this.seeds = new Rng(cfg.seed() ^ 0x77A3D2C1B5E4F609L ^ (0x9E3779B97F4A7C15L * share));
        }

        synchronized Chunk next() {
            List<int[]> out = new ArrayList<>();
            long words = 0;
            while (words < CHUNK_WORDS) {
                if (it == null || !it.hasNext()) {
                    if (it != null) {
                        epoch++; // a pass is complete
                    }
                    if (epoch >= cfg.iter()) {
                        break;
                    }
                    it = sentences.iterator();
                    if (!it.hasNext()) {
                        break;
                    }
                    continue;
                }
                List<String> s = it.next();
                int[] ids = new int[Math.min(s.size(), cfg.maxSentenceLength())];
                int n = 0;
                for (String w : s) {
                    Integer id = vocab.index.get(w);
                    if (id != null && id != 0) {
                        ids[n++] = id;
                        words++;
                        if (n == ids.length) {
                            out.add(ids);
                            ids = new int[Math.min(s.size(), cfg.maxSentenceLength())];
                            n = 0;
                        }
                    }
                }
                words++; // the sentence's </s>, as the C tool counts it
                if (n > 0) {
                    out.add(java.util.Arrays.copyOf(ids, n));
                }
            }
            return words == 0 ? null : new Chunk(out, words, seeds.nextLong());
        }
    }

    /**
     * Padding at the end of each array a worker writes, in elements: 64 bytes, a cache line, so
     * that no other thread's data shares a line with it wherever the allocator or a garbage
     * collection puts it. Without it, 2-thread runs took 32.5–44.9 s where they now take
     * 28.9–33.4 s (BENCHMARKS.md, word2vec: the run-to-run swing).
     */
    private static final int PAD = 16;

    /**
     * With several threads, each keeps its own copy of the output rows written most, from every
     * thread: negative sampling's rows of the {@value #WARM_ROWS} most frequent words, hierarchical
     * softmax's {@value #HS_HOT_ROWS} inner nodes nearest the root (on every word's path). It merges
     * its changes into the shared rows: the {@value #HOT_ROWS} most frequent words' after each chunk
     * of ~10,000 words and the others every {@value #WARM_EVERY}th chunk; the nodes every
     * {@value #HS_MERGE_WORDS} words. The other rows stay shared, as in the C tool;
     * {@link Worker#dots} reads them four at a time. Output rows are not the result (syn0 is), so
     * what a thread has not merged when it stops goes with its copy.
     *
     * <p>Why: a shared row the other core has just written costs a core-to-core round trip, ~50 ns
     * when the host keeps the two vCPUs close and ~400 ns when it places them far apart. Counted in
     * a two-thread skip-gram run, each thread read 44 M such rows with 1,024 private rows, 15 M with
     * 8,192; far placements took 30–32 s where near ones take 16–18 s, and now 19–24 s (BENCHMARKS.md).
     * Staleness is what limits the copies: 1,024 nodes all merged per chunk cost skip-gram 18.7–19.4 %
     * analogy accuracy against 19.4–19.7 % with every node shared, CBOW 13.6–14.7 % against
     * 14.7–16.3 %; 1,024 nodes of which the 896 farther from the root were merged every 80,000 words
     * scored 18.99–19.75 % (seeds 1–3) where 128 score 18.90–20.55 %. Noise words' rows, used less
     * often, can wait longer between merges.
     */
    private static final int HOT_ROWS = 1024;
    private static final int WARM_ROWS = 8192;
    private static final int WARM_EVERY = 8;
    private static final int HS_HOT_ROWS = 128;
    private static final int HS_MERGE_WORDS = 1000;

    /**
     * A shared matrix as one thread sees it: rows [first, first + count) in its own copy (none
     * with one thread), the others shared. {@link #merge} adds the thread's changes to the shared
     * rows (under the caller's lock) and takes a fresh copy: of the hottest rows [hotFrom, hotTo)
     * each time, of all its rows every {@code warmEvery}-th time.
     */
    static final class HotRows {
        final float[] shared;
        final int first;
        final int count;
        final int size;
        final int hotFrom;
        final int hotTo;
        final int warmEvery;
        final float[] mine;   // [count·size (+ PAD)]
        final float[] base;   // [count·size] the shared rows as they were at the last merge
        private int merges;

        HotRows(float[] shared, int first, int count, int size, int hotFrom, int hotTo, int warmEvery) {
            this.shared = shared;
            this.first = first;
            this.count = count;
            this.size = size;
            this.hotFrom = hotFrom;
            this.hotTo = hotTo;
            this.warmEvery = warmEvery;
            this.mine = new float[count * size + PAD];
            this.base = new float[count * size];
            System.arraycopy(shared, first * size, mine, 0, count * size);
            System.arraycopy(mine, 0, base, 0, count * size);
        }

        private boolean holds(int row) {
            return row >= first && row < first + count;
        }

        /** The array holding {@code row}: this thread's copy or the shared matrix. */
        float[] array(int row) {
            return holds(row) ? mine : shared;
        }

        /** Where {@code row} starts in {@link #array}. */
        int offset(int row) {
            return holds(row) ? (row - first) * size : row * size;
        }

        void merge() {
            if (++merges % warmEvery == 0) {
                merge(first, first + count);
            } else {
                merge(hotFrom, hotTo);
            }
        }

        /** shared += mine − base over rows [from, to); then mine = base = shared there. */
        private void merge(int from, int to) {
            int o = (from - first) * size;
            int so = from * size;
            int n = (to - from) * size;
            for (int i = 0; i < n; i++) {
                float x = shared[so + i] + (mine[o + i] - base[o + i]);
                shared[so + i] = x;
                mine[o + i] = x;
                base[o + i] = x;
            }
        }
    }

    /** One training thread: its random stream and scratch vectors (each padded: {@link #PAD}). */
    private static final class Worker {
        private final Model m;
        private final int size;
        private final int window;
        private final int negative;
        private final float[] inRow;    // [size] the input row of the current prediction
        private final float[] outRow;   // [size] the output row being updated
        private final float[] neu1;
        private final float[] neu1e;
        private final int[] context;
        private int[] kept = new int[16 + PAD];
        private final long[] random = new long[1 + PAD / 2]; // the stream's state in [0]
        private final HotRows hot1;     // syn1, its most frequent words' rows private (several threads); or null
        private final HotRows hotHs;    // syn1hs, the nodes nearest the root private (several threads); or null
        private float[] outArray;       // where the row in outRow came from
        private int outOffset;
        private final int[] rows;       // [negative + 1 or the longest path] the output rows of one prediction
        private final float[] products; // [rows.length + 3] their dot products with the input, taken together ({@link #dots})
        private final int[] draws;      // [predictions·negative] the noise words of the centre word's predictions, drawn first
        private float sink;             // what the touches read (kept, so that the JIT keeps the loads)
        private final boolean readAhead; // several threads, negative sampling: read what the other thread may have written first

        Worker(Model m) {
            this.m = m;
            this.size = m.cfg().size();
            this.window = m.cfg().window();
            this.negative = m.cfg().negative();
            boolean several = m.cfg().threads() > 1;     // one thread keeps no private rows
            this.readAhead = several && negative > 0;
            int v = m.vocab().size();
            int words = several ? Math.min(WARM_ROWS, v) : 0;
            this.hot1 = m.syn1() == null ? null
                    : new HotRows(m.syn1(), 0, words, size, 0, Math.min(HOT_ROWS, words), WARM_EVERY);
            int nodes = Math.max(0, v - 1);                  // the root is the last node
            int near = several ? Math.min(HS_HOT_ROWS, nodes) : 0;
            this.hotHs = m.syn1hs() == null ? null : new HotRows(m.syn1hs(), nodes - near, near, size, nodes - near, nodes, 1);
            this.inRow = new float[size + PAD];
            this.outRow = new float[size + PAD];
            this.neu1 = new float[size + PAD];
            this.neu1e = new float[size + PAD];
            this.context = new int[2 * window + PAD];
            int longestPath = m.tree() == null ? 0 : m.tree().longestPath;
            this.rows = new int[Math.max(negative + 1, longestPath) + PAD];
            this.products = new float[rows.length + 3 + PAD];
            this.draws = new int[2 * window * negative + PAD];
        }

        void run(ChunkSource source, AtomicLong done, long total, Progress progress) {
            double start = m.cfg().startingAlpha();
            Chunk c;
            merge();
            while ((c = source.next()) != null) {
                float alpha = (float) Math.max(start * 1e-4, start * (1 - done.get() / (double) (total + 1)));
                random[0] = c.seed();
                int sinceMerge = 0;
                for (int[] s : c.sentences()) {
                    sentence(s, alpha);
                    sinceMerge += s.length;
                    if (sinceMerge >= HS_MERGE_WORDS) {
                        merge(hotHs);                        // a no-op without private nodes
                        sinceMerge = 0;
                    }
                }
                merge();
                long d = done.addAndGet(c.words());
                if (progress != null) {
                    progress.update(Math.min(d, total), total, alpha);
                }
            }
        }

        /** Merges this thread's private rows into the shared ones and takes a fresh copy. */
        private void merge() {
            merge(hot1);
            merge(hotHs);
        }

        private void merge(HotRows h) {
            if (h != null && h.count > 0) {
                synchronized (m) {
                    h.merge();
                }
            }
        }

        private long nextRandom() {
            long r = random[0] * 25214903917L + 11;
            random[0] = r;
            return r;
        }

        private void sentence(int[] ids, float alpha) {
            if (kept.length < ids.length + PAD) {
                kept = new int[ids.length + PAD];
            }
            int n = 0;
            float[] keep = m.keep();
            for (int id : ids) {
                if (keep[id] < 2f && keep[id] < (nextRandom() & 0xFFFF) / 65536f) {
                    continue;
                }
                kept[n++] = id;
            }
            for (int pos = 0; pos < n; pos++) {
                int b = (int) Long.remainderUnsigned(nextRandom(), window);
                if (m.cfg().cbow()) {
                    cbow(pos, n, b, alpha);
                } else {
                    skipGram(pos, n, b, alpha);
                }
            }
        }

        /**
         * The rows (in syn0) of the context words around {@code pos}: offsets −(window − b) … +(window − b),
         * the centre and positions outside the sentence left out. Returns how many; they are in {@link #context}.
         */
        private int context(int pos, int n, int b) {
            int cw = 0;
            for (int a = b; a < window * 2 + 1 - b; a++) {
                int c = pos - window + a;
                if (a != window && c >= 0 && c < n) {
                    context[cw++] = kept[c] * size;
                }
            }
            return cw;
        }

        /** Each context word's vector predicts the centre word (and not the noise words). */
        private void skipGram(int pos, int n, int b, float alpha) {
            float[] syn0 = m.syn0();
            int cw = context(pos, n, b);
            draw(cw);
            if (readAhead) {
                touchShared(syn0, kept[pos], cw);
            }
            for (int k = 0; k < cw; k++) {
                int l1 = context[k];
                java.util.Arrays.fill(neu1e, 0, size, 0f);
                predict(syn0, l1, kept[pos], k, alpha);
                addError(syn0, l1);
            }
        }

        /** The mean of the context vectors predicts the centre word; every context vector gets the error. */
        private void cbow(int pos, int n, int b, float alpha) {
            float[] syn0 = m.syn0();
            int cw = context(pos, n, b);
            if (cw == 0) {
                return;
            }
            draw(1);
            java.util.Arrays.fill(neu1, 0, size, 0f);
            for (int k = 0; k < cw; k++) {
                if (m.simd()) {
                    VectorRowOps.addFrom(neu1, syn0, context[k], size);
                } else {
                    for (int i = 0; i < size; i++) {
                        neu1[i] += syn0[context[k] + i];
                    }
                }
            }
            float inv = 1f / cw;
            for (int i = 0; i < size; i++) {
                neu1[i] *= inv;
            }
            java.util.Arrays.fill(neu1e, 0, size, 0f);
            predict(neu1, 0, kept[pos], 0, alpha);
            for (int k = 0; k < cw; k++) {
                addError(syn0, context[k]);
            }
        }

        /** The word from the input vector in[l1, l1 + size): hierarchical softmax, then negative sampling, as the C tool. */
        private void predict(float[] in, int l1, int word, int k, float alpha) {
            System.arraycopy(in, l1, inRow, 0, size);
            if (m.tree() != null) {
                hierarchicalSoftmax(in, l1, word, alpha);
            }
            if (negative > 0) {
                negativeSampling(in, l1, word, k, alpha);
            }
        }

        /** The noise words of the next {@code predictions} predictions: draws[k·negative + d]. */
        private void draw(int predictions) {
            int n = predictions * negative;
            for (int i = 0; i < n; i++) {
                draws[i] = m.noise().sample(nextRandom());
            }
        }

        /**
         * Reads one float of every cache line of the shared rows a centre word's skip-gram
         * predictions with negative sampling will read (its context words' input rows; its own and
         * its noise words' output rows, where not private), all before the first prediction: the
         * misses of lines the other thread wrote last overlap instead of coming one prediction at
         * a time (far placements: 16.9 s against 22.2 s; BENCHMARKS.md). Not for CBOW or
         * hierarchical softmax, where it measured no gain.
         */
        private void touchShared(float[] syn0, int word, int cw) {
            float s = 0;
            for (int k = 0; k < cw; k++) {
                s += touch(syn0, context[k]);
            }
            if (!hot1.holds(word)) {
                s += touch(hot1.shared, word * size);
            }
            int n = cw * negative;
            for (int i = 0; i < n; i++) {
                int r = draws[i];
                if (!hot1.holds(r)) {
                    s += touch(hot1.shared, r * size);
                }
            }
            sink += s;
        }

        /** The sum of one float in each 64-byte line of a[o, o + size). */
        private float touch(float[] a, int o) {
            float s = a[o + size - 1];
            for (int i = 0; i < size; i += 16) {
                s += a[o + i];
            }
            return s;
        }

        /**
         * One logistic regression per inner node on the word's path from the root: the branch
         * taken is the label (1 − code); g = (1 − code − σ(in·node))·alpha; nodes where |in·node|
         * ≥ 6 are skipped, as the C tool skips them.
         */
        private void hierarchicalSoftmax(float[] in, int l1, int word, float alpha) {
            float[] exp = m.expTable();
            byte[] code = m.tree().codes[word];
            int[] point = m.tree().points[word];
            boolean batch = m.simd();
            if (batch) {
                dots(hotHs, point, code.length);    // the path's nodes are distinct: no update changes another's dot
            }
            for (int d = 0; d < code.length; d++) {
                float f = batch ? at(hotHs, point[d], products[d]) : load(hotHs, point[d]);
                if (f <= -MAX_EXP || f >= MAX_EXP) {
                    continue;
                }
                float g = (1 - code[d] - exp[(int) ((f + MAX_EXP) * (EXP_TABLE_SIZE / MAX_EXP / 2))]) * alpha;
                update(g);
            }
        }

        /**
         * One positive (the word, label 1) and {@code negative} noise words (label 0) against the
         * input vector {@code in[l1, l1 + size)}: g = (label − σ(in·out))·alpha; the input's error
         * accumulates in neu1e, each output vector moves by g·in.
         */
        private void negativeSampling(float[] in, int l1, int word, int k, float alpha) {
            float[] exp = m.expTable();
            int n = 0;
            rows[n++] = word;
            for (int d = 0; d < negative; d++) {
                int noise = draws[k * negative + d];
                if (noise != word) {
                    rows[n++] = noise;
                }
            }
            boolean batch = m.simd();
            if (batch) {
                dots(hot1, rows, n);
            }
            for (int d = 0; d < n; d++) {
                float label = d == 0 ? 1f : 0f;
                float f = batch && !drawnBefore(d) ? at(hot1, rows[d], products[d]) : load(hot1, rows[d]);
                float g;
                if (f > MAX_EXP) {
                    g = (label - 1) * alpha;
                } else if (f < -MAX_EXP) {
                    g = label * alpha;
                } else {
                    g = (label - exp[(int) ((f + MAX_EXP) * (EXP_TABLE_SIZE / MAX_EXP / 2))]) * alpha;
                }
                update(g);
            }
        }

        /** Whether noise word rows[d] was drawn before in this prediction (its row has changed since {@link #dots}). */
        private boolean drawnBefore(int d) {
            for (int e = 1; e < d; e++) {
                if (rows[e] == rows[d]) {
                    return true;
                }
            }
            return false;
        }

        /**
         * products[j] = inRow · row rows[j] of {@code matrix}, j &lt; n, four rows at a time (the last
         * group repeats its last row): their loads are in flight together ({@link VectorRowOps#dot4}).
         * Exactly the products {@link #load} takes one at a time, as long as no update comes between.
         */
        private void dots(HotRows matrix, int[] rows, int n) {
            for (int j = 0; j < n; j += 4) {
                int r0 = rows[j];
                int r1 = rows[Math.min(j + 1, n - 1)];
                int r2 = rows[Math.min(j + 2, n - 1)];
                int r3 = rows[Math.min(j + 3, n - 1)];
                VectorRowOps.dot4(inRow, matrix.array(r0), matrix.offset(r0), matrix.array(r1), matrix.offset(r1),
                        matrix.array(r2), matrix.offset(r2), matrix.array(r3), matrix.offset(r3), size, products, j);
            }
        }

        /** Points {@link #update} at row {@code row} of {@code matrix}, whose dot product {@link #dots} took; returns it. */
        private float at(HotRows matrix, int row, float dot) {
            outArray = matrix.array(row);
            outOffset = matrix.offset(row);
            return dot;
        }

        /**
         * Copies output row {@code row} of {@code matrix} (this thread's copy of it, if it has one)
         * into {@link #outRow} and returns its dot product with the input row. Rows are worked on
         * as copies at offset 0: the JIT vectorizes loops over arrays indexed alike, not over two
         * rows of a matrix at unrelated offsets (1.8× per node measured; BENCHMARKS.md).
         */
        private float load(HotRows matrix, int row) {
            outArray = matrix.array(row);
            outOffset = matrix.offset(row);
            if (m.simd()) {
                return VectorRowOps.dot(inRow, 0, outArray, outOffset, size);   // in place, no copy
            }
            System.arraycopy(outArray, outOffset, outRow, 0, size);
            return dot(inRow, 0, outRow, 0, size);
        }

        /** syn0[l1, l1 + size) += neu1e: the input row gets the prediction's error. */
        private void addError(float[] syn0, int l1) {
            if (m.simd()) {
                VectorRowOps.add(syn0, l1, neu1e, size);
                return;
            }
            for (int i = 0; i < size; i++) {
                syn0[l1 + i] += neu1e[i];
            }
        }

        /** neu1e += g·out; out += g·in, for the row {@link #load} copied, written back where it came from. */
        private void update(float g) {
            if (m.simd()) {
                VectorRowOps.update(neu1e, outArray, outOffset, inRow, g, size);
                return;
            }
            for (int i = 0; i < size; i++) {
                float w = outRow[i];
                neu1e[i] += g * w;
                outRow[i] = w + g * inRow[i];
            }
            System.arraycopy(outRow, 0, outArray, outOffset, size);
        }

        /** a[ao, ao+n) · b[bo, bo+n) with four partial sums (instruction-level parallelism). */
        private static float dot(float[] a, int ao, float[] b, int bo, int n) {
            float s0 = 0;
            float s1 = 0;
            float s2 = 0;
            float s3 = 0;
            int i = 0;
            for (; i + 3 < n; i += 4) {
                s0 += a[ao + i] * b[bo + i];
                s1 += a[ao + i + 1] * b[bo + i + 1];
                s2 += a[ao + i + 2] * b[bo + i + 2];
                s3 += a[ao + i + 3] * b[bo + i + 3];
            }
            for (; i < n; i++) {
                s0 += a[ao + i] * b[bo + i];
            }
            return (s0 + s1) + (s2 + s3);
        }
    }
}
