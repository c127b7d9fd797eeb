package org.autoreg.word2vec.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.autoreg.tokenizer.Normalizer;
import org.autoreg.tokenizer.cli.Cli;
import org.autoreg.word2vec.Evaluation;
import org.autoreg.word2vec.KeyedVectors;
import org.autoreg.word2vec.Word2Vec;
import org.autoreg.word2vec.Word2VecConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code autoreg word2vec}: train word vectors, evaluate them, query them. */
@Command(name = "word2vec", mixinStandardHelpOptions = true,
        description = "Word vectors: skip-gram/CBOW training (word2vec.c's algorithm and options), evaluation, queries.",
        subcommands = {Word2VecCommand.Train.class, Word2VecCommand.Eval.class, Word2VecCommand.Similar.class,
            Word2VecCommand.Analogy.class})
public final class Word2VecCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Train vectors on a text file (one sentence per line, words split on whitespace).",
                "Options and defaults are word2vec.c's; --threads 1 gives bit-identical vectors for a seed.",
                "Example: autoreg word2vec train --corpus text.txt --out vectors.bin --cbow 0 --sample 1e-4 --binary"})
    static final class Train implements Callable<Integer> {
        @Option(names = "--corpus", required = true, paramLabel = "FILE") Path corpus;
        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Vectors file (C format).") Path out;
        @Option(names = "--cbow", paramLabel = "0|1", defaultValue = "1", description = "1: CBOW (default), 0: skip-gram.")
        int cbow;
        @Option(names = "--size", defaultValue = "100") int size;
        @Option(names = "--window", defaultValue = "5") int window;
        @Option(names = "--negative", defaultValue = "5") int negative;
        @Option(names = "--sample", defaultValue = "1e-3") double sample;
        @Option(names = "--iter", defaultValue = "5") int iter;
        @Option(names = "--min-count", defaultValue = "5") int minCount;
        @Option(names = "--threads", description = "Default: the number of cores.") Integer threads;
        @Option(names = "--alpha", description = "Default: 0.025 skip-gram, 0.05 CBOW.") Double alpha;
        @Option(names = "--seed", defaultValue = "1") long seed;
        @Option(names = "--binary", paramLabel = "0|1", arity = "0..1", fallbackValue = "1", defaultValue = "0",
                description = "Write the binary format (default text).") int binary;
        @Option(names = "--lowercase", description = "Lowercase the text first.") boolean lowercase;
        @Option(names = "--nfkd", description = "NFKD-normalize the text first.") boolean nfkd;
        @Option(names = "--hs", defaultValue = "0", description = "Hierarchical softmax over a Huffman tree: 1 on "
                + "(alone with --negative 0, or with negative sampling), 0 off (default).") int hs;

        @Override
        public Integer call() throws Exception {
            if (cbow != 0 && cbow != 1 || binary != 0 && binary != 1 || hs != 0 && hs != 1) {
                throw new Cli.UsageException("--cbow, --hs and --binary take 0 or 1");
            }
            Word2VecConfig cfg;
            try {
                cfg = new Word2VecConfig(cbow == 1, size, window, negative, hs == 1, sample, iter, minCount,
                        threads != null ? threads : Runtime.getRuntime().availableProcessors(), alpha, seed, 1000);
            } catch (IllegalArgumentException e) {
                throw new Cli.UsageException(e.getMessage());
            }
            List<Normalizer> norms = new ArrayList<>();
            if (nfkd) {
                norms.add(Normalizer.nfkd());
            }
            if (lowercase) {
                norms.add(Normalizer.lowercase());
            }
            Normalizer normalizer = norms.isEmpty() ? null : norms.size() == 1 ? norms.get(0) : Normalizer.sequence(norms);
            long t0 = System.nanoTime();
            KeyedVectors kv;
            try (Bar bar = new Bar(System.console() != null && !"true".equals(System.getenv("CI")))) {
                System.err.printf("word2vec: %s, size %d, window %d, negative %d, hs %d, sample %g, iter %d, min-count "
                        + "%d, %d threads, alpha %.4g%n", cfg.cbow() ? "CBOW" : "skip-gram", size, window, negative, hs, sample,
                        iter, minCount, cfg.threads(), cfg.startingAlpha());
                kv = Word2Vec.train(cfg, Word2Vec.textFile(corpus, normalizer), bar::update);
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            kv.save(out, binary == 1);
            System.err.printf("done: %,d words × %d dims in %.1f s -> %s%n", kv.size(), kv.dim(), secs, out);
            return 0;
        }
    }

    /** Progress on stderr: a bar on a terminal, else a line per 10 %. */
    static final class Bar implements AutoCloseable {
        private final boolean terminal;
        private ProgressBar bar;
        private final long t0 = System.nanoTime();
        private int lastDecile = -1;

        Bar(boolean terminal) {
            this.terminal = terminal;
        }

        synchronized void update(long done, long total, double alpha) {
            double secs = Math.max(1e-9, (System.nanoTime() - t0) / 1e9);
            double rate = done / secs;
            if (terminal) {
                if (bar == null) {
                    bar = new ProgressBarBuilder().setTaskName("word2vec").setInitialMax(total).setUnit(" words", 1)
                            .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(300).showSpeed()
                            .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
                }
                bar.stepTo(done);
                bar.setExtraMessage(String.format(" | alpha %.5f", alpha));
            } else {
                int decile = (int) (10 * done / Math.max(1, total));
                if (decile != lastDecile) {
                    lastDecile = decile;
                    double eta = done > 0 ? secs / done * (total - done) : 0;
                    System.err.printf("progress %3d%%: %,d words, %,.0f words/s, alpha %.5f, eta %s%n", 100 * done / Math.max(1, total),
                            done, rate, alpha, Duration.ofSeconds(Math.round(eta)).toString().substring(2).toLowerCase());
                }
            }
        }

        @Override
        public synchronized void close() {
            if (bar != null) {
                bar.close();
            }
        }
    }

    @Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Analogy accuracy (as compute-accuracy) and word-pair Spearman correlation.",
                "Example: autoreg word2vec eval --vectors v.bin --analogies questions-words.txt --pairs wordsim353.tsv"})
    static final class Eval implements Callable<Integer> {
        @Option(names = "--vectors", required = true, paramLabel = "FILE") Path vectors;
        @Option(names = "--analogies", paramLabel = "FILE") Path analogies;
        @Option(names = "--pairs", paramLabel = "FILE", description = "Word-pair file(s) (repeatable).") List<Path> pairs = new ArrayList<>();
        @Option(names = "--restrict-vocab", defaultValue = "30000", description = "Use the N most frequent words "
                + "(default ${DEFAULT-VALUE}, as compute-accuracy; 0 = all).") int restrict;
        @Option(names = "--json", description = "Print one JSON object.") boolean json;

        @Override
        public Integer call() throws Exception {
            if (analogies == null && pairs.isEmpty()) {
                throw new Cli.UsageException("give --analogies FILE and/or --pairs FILE");
            }
            KeyedVectors kv = KeyedVectors.load(vectors);
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode o = mapper.createObjectNode().put("vectors", vectors.toString()).put("words", kv.size())
                    .put("dim", kv.dim());
            if (analogies != null) {
                Evaluation.AnalogyReport r = kv.evaluateAnalogies(analogies, restrict);
                ObjectNode a = o.putObject("analogies").put("restrict_vocab", r.restrictVocab())
                        .put("accuracy", r.total().accuracy()).put("semantic", r.semantic().accuracy())
                        .put("syntactic", r.syntactic().accuracy()).put("seen", r.total().seen())
                        .put("total", r.total().total()).put("seen_fraction", r.seenFraction());
                ObjectNode secs = a.putObject("sections");
                for (Evaluation.Section s : r.sections()) {
                    secs.putObject(s.name()).put("accuracy", s.accuracy()).put("correct", s.correct()).put("seen", s.seen())
                            .put("total", s.total());
                    if (!json) {
                        System.out.printf("%-28s %6.2f %%  (%d / %d seen of %d)%n", s.name(), 100 * s.accuracy(),
                                s.correct(), s.seen(), s.total());
                    }
                }
                if (!json) {
                    System.out.printf("semantic %.2f %%, syntactic %.2f %%, total accuracy %.2f %%; questions seen %d / %d "
                            + "(%.1f %%), restrict-vocab %d%n", 100 * r.semantic().accuracy(),
                            100 * r.syntactic().accuracy(), 100 * r.total().accuracy(), r.total().seen(),
                            r.total().total(), 100 * r.seenFraction(), r.restrictVocab());
                }
            }
            for (Path p : pairs) {
                Evaluation.PairReport r = kv.evaluateWordPairs(p);
                o.putObject("pairs:" + p.getFileName()).put("spearman", r.spearman()).put("pearson", r.pearson())
                        .put("pairs", r.pairs()).put("oov", r.outOfVocabulary());
                if (!json) {
                    System.out.printf("%s: Spearman %.4f, Pearson %.4f over %d pairs (%d out of vocabulary)%n",
                            p.getFileName(), r.spearman(), r.pearson(), r.pairs(), r.outOfVocabulary());
                }
            }
            if (json) {
                System.out.println(mapper.writeValueAsString(o));
            }
            return 0;
        }
    }

    @Command(name = "similar", mixinStandardHelpOptions = true,
            description = {"The nearest words to WORD.", "Example: autoreg word2vec similar --vectors v.bin king --measure cosine"})
    static final class Similar implements Callable<Integer> {
        @Option(names = "--vectors", required = true, paramLabel = "FILE") Path vectors;
        @Parameters(paramLabel = "WORD", arity = "1..*", description = "Positive word(s).") List<String> words;
        @Option(names = "--negative", paramLabel = "WORD", description = "Word(s) to subtract.") List<String> negative = new ArrayList<>();
        @Option(names = "--measure", defaultValue = "cosine", description = "cosine, dot or scaled-dot.") String measure;
        @Option(names = "--topn", defaultValue = "10") int topn;

        @Override
        public Integer call() throws Exception {
            KeyedVectors.Measure m;
            try {
                m = KeyedVectors.Measure.parse(measure);
            } catch (IllegalArgumentException e) {
                throw new Cli.UsageException(e.getMessage());
            }
            if (!Files.isRegularFile(vectors)) {
                throw new IllegalArgumentException(vectors + " is not a file");
            }
            KeyedVectors kv = KeyedVectors.load(vectors);
            for (KeyedVectors.Neighbor n : kv.mostSimilar(words, negative, topn, m)) {
                System.out.printf("%-20s %.4f%n", n.word(), n.score());
            }
            return 0;
        }
    }

    @Command(name = "analogy", mixinStandardHelpOptions = true,
            description = {"A is to B as C is to ?", "Example: autoreg word2vec analogy --vectors v.bin man king woman"})
    static final class Analogy implements Callable<Integer> {
        @Option(names = "--vectors", required = true, paramLabel = "FILE") Path vectors;
        @Parameters(arity = "3", paramLabel = "A B C") List<String> abc;
        @Option(names = "--method", defaultValue = "cosadd", description = "cosadd (3CosAdd) or cosmul (3CosMul).") String method;
        @Option(names = "--topn", defaultValue = "5") int topn;

        @Override
        public Integer call() throws Exception {
            KeyedVectors.AnalogyMethod m = switch (method.toLowerCase(java.util.Locale.ROOT)) {
                case "cosadd", "3cosadd" -> KeyedVectors.AnalogyMethod.COS_ADD;
                case "cosmul", "3cosmul" -> KeyedVectors.AnalogyMethod.COS_MUL;
                default -> throw new Cli.UsageException("--method takes cosadd or cosmul, got " + method);
            };
            KeyedVectors kv = KeyedVectors.load(vectors);
            for (KeyedVectors.Neighbor n : kv.analogy(abc.get(0), abc.get(1), abc.get(2), topn, m)) {
                System.out.printf("%-20s %.4f%n", n.word(), n.score());
            }
            return 0;
        }
    }
}
