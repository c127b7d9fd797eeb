package org.autoreg.tokenizer.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.autoreg.tokenizer.AddedToken;
import org.autoreg.tokenizer.Tokenizer;
import org.autoreg.tokenizer.TokenizerTrainer;
import org.autoreg.tokenizer.Tokenizers;
import org.autoreg.tokenizer.io.TextCorpus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code autoreg tokenizer bench}: encode throughput of any tokenizer (one thread), full (added
 * tokens matched, {@code encodeToIds(text, false)}) and plain ({@code encodeOrdinary}), and
 * byte-level BPE training time on a corpus; medians over repeated runs after warm-up.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark encoding (MB/s, one thread; with added tokens matched and as plain text) and BPE "
                + "training time.")
final class TokenizerBench implements Callable<Integer> {
    @Option(names = "--tokenizer", required = true, paramLabel = "DIR|FILE",
            description = "Model directory or tokenizer.json (also vocab.json+merges.txt, encoder.json+vocab.bpe; "
                    + "e.g. ../shared/reference/gpt2).")
    Path tokenizer;

    @Option(names = "--corpus", required = true, paramLabel = "FILE", description = "UTF-8 text (e.g. tinyshakespeare).")
    Path corpus;

    @Option(names = "--extra-added", defaultValue = "0", paramLabel = "N",
            description = "Add N special tokens <unused_0>..<unused_N-1> to the tokenizer first, to measure matching "
                    + "with many added tokens (Gemma 3 has 6,415) (default: ${DEFAULT-VALUE}).")
    int extraAdded;

    @Option(names = "--warmup", defaultValue = "10", description = "Warm-up runs (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--runs", defaultValue = "20", description = "Timed runs (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--train-vocab", defaultValue = "4096", description = "BPE training vocab size (default: ${DEFAULT-VALUE}).")
    int trainVocab;

    @Option(names = "--train-runs", defaultValue = "3",
            description = "Timed training runs; 0 skips training (default: ${DEFAULT-VALUE}).")
    int trainRuns;

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double max(double[] xs) {
        return Arrays.stream(xs).max().orElse(0);
    }

    /** The tokenizer as loaded, with the extra added tokens, without truncation or padding. */
    private Tokenizer load() {
        Tokenizer tok = Tokenizers.load(tokenizer);
        if (tok.truncation() != null || tok.padding() != null) {
            tok = tok.withTruncation(null).withPadding(null);
        }
        if (extraAdded == 0) {
            return tok;
        }
        Tokenizer.Builder b = tok.toBuilder();
        int next = tok.vocabSize();
        for (int i = 0; i < extraAdded; i++) {
            b.addedToken(AddedToken.special("<unused_" + i + ">", next++));
        }
        return b.build();
    }

    @Override
    public Integer call() throws Exception {
        if (runs < 1 || warmup < 0 || trainRuns < 0 || extraAdded < 0) {
            throw new Cli.UsageException("--runs must be at least 1, and --warmup, --train-runs and --extra-added at "
                    + "least 0");
        }
        String text = TextCorpus.read(corpus);
        long bytes = Files.size(corpus);
        // "cold": a freshly loaded tokenizer each run (empty word cache, JIT warm); "warm": the
        // same tokenizer again (its word cache already holds the corpus's words). "full" matches
        // added tokens (encodeToIds(text, false)); "plain" does not (encodeOrdinary).
        double[] plainCold = new double[runs];
        double[] plainWarm = new double[runs];
        double[] fullCold = new double[runs];
        double[] fullWarm = new double[runs];
        int[] plainIds = null;
        int[] fullIds = null;
        Tokenizer tok = null;
        for (int r = -warmup; r < runs; r++) {
            for (int mode = 0; mode < 2; mode++) {
                boolean full = (mode + r) % 2 == 0; // alternate which goes first
                tok = load();
                long t0 = System.nanoTime();
                int[] ids = full ? tok.encodeToIds(text, false) : tok.encodeOrdinary(text);
                long t1 = System.nanoTime();
                if (full) {
                    tok.encodeToIds(text, false);
                } else {
                    tok.encodeOrdinary(text);
                }
                long t2 = System.nanoTime();
                if (full) {
                    fullIds = ids;
                } else {
                    plainIds = ids;
                }
                if (r >= 0) {
                    (full ? fullCold : plainCold)[r] = bytes / 1e6 / ((t1 - t0) / 1e9);
                    (full ? fullWarm : plainWarm)[r] = bytes / 1e6 / ((t2 - t1) / 1e9);
                }
            }
        }
        int literals = tok.addedTokenCounts(text).values().stream().mapToInt(Integer::intValue).sum();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("tokenizer", tokenizer.getFileName().toString());
        result.put("vocab_size", tok.vocabSize());
        result.put("added_tokens", tok.addedTokens().size());
        result.put("corpus", corpus.getFileName().toString());
        result.put("bytes", bytes);
        result.put("tokens_full", fullIds.length);
        result.put("tokens_plain", plainIds.length);
        result.put("added_token_matches", literals);
        result.put("encode_full_mb_s_cold_median", round(median(fullCold)));
        result.put("encode_full_mb_s_cold_max", round(max(fullCold)));
        result.put("encode_full_mb_s_warm_median", round(median(fullWarm)));
        result.put("encode_plain_mb_s_cold_median", round(median(plainCold)));
        result.put("encode_plain_mb_s_cold_max", round(max(plainCold)));
        result.put("encode_plain_mb_s_warm_median", round(median(plainWarm)));
        result.put("full_over_plain_cold", round(median(fullCold) / median(plainCold)));
        int added = tok.addedTokens().size();
        System.out.printf("encode %s (%,d bytes) with %s (vocabulary %,d, %,d added token%s), one thread, %d runs "
                + "after %d warm-up:%n", corpus.getFileName(), bytes, tokenizer.getFileName(), tok.vocabSize(), added,
                added == 1 ? "" : "s", runs, warmup);
        System.out.printf("  full, added tokens matched (encodeToIds(text, false)): %,d tokens, %,d added-token "
                + "match%s%n", fullIds.length, literals, literals == 1 ? "" : "es");
        System.out.printf("    fresh tokenizer (empty word cache): median %.2f MB/s, best %.2f MB/s%n", median(fullCold),
                max(fullCold));
        System.out.printf("    same tokenizer again (warm cache):   median %.2f MB/s%n", median(fullWarm));
        System.out.printf("  plain text (encodeOrdinary): %,d tokens%n", plainIds.length);
        System.out.printf("    fresh tokenizer (empty word cache): median %.2f MB/s, best %.2f MB/s%n",
                median(plainCold), max(plainCold));
        System.out.printf("    same tokenizer again (warm cache):   median %.2f MB/s%n", median(plainWarm));
        System.out.printf("  full / plain, fresh tokenizer: %.2f%n", median(fullCold) / median(plainCold));
        if (trainRuns > 0) {
            double[] train = new double[trainRuns];
            int trainedVocab = 0;
            for (int r = -1; r < trainRuns; r++) {
                long t0 = System.nanoTime();
                TokenizerTrainer t = new TokenizerTrainer(TokenizerTrainer.Config.byteLevelBpe(trainVocab));
                t.feed(text);
                trainedVocab = t.train().vocabSize();
                if (r >= 0) {
                    train[r] = (System.nanoTime() - t0) / 1e9;
                }
            }
            result.put("train_vocab", trainedVocab);
            result.put("train_seconds_median", round(median(train)));
            result.put("train_seconds_min", round(Arrays.stream(train).min().orElse(0)));
            System.out.printf("byte-level BPE training to %,d tokens: median %.2f s, best %.2f s (%d runs)%n",
                    trainedVocab, median(train), Arrays.stream(train).min().orElse(0), trainRuns);
        }
        result.put("java", System.getProperty("java.version"));
        System.out.println(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(result));
        return 0;
    }

    private static double round(double x) {
        return Math.round(x * 1000) / 1000.0;
    }
}
