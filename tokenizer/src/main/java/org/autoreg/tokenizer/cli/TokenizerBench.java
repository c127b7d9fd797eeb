package org.autoreg.tokenizer.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.autoreg.tokenizer.Tokenizer;
import org.autoreg.tokenizer.TokenizerTrainer;
import org.autoreg.tokenizer.Tokenizers;
import org.autoreg.tokenizer.io.TextCorpus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code autoreg tokenizer bench}: GPT-2 encode throughput (one thread) and byte-level BPE
 * training time on a corpus, as medians over repeated runs after warm-up.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark GPT-2 encoding (MB/s, one thread) and BPE training time.")
final class TokenizerBench implements Callable<Integer> {
    @Option(names = "--tokenizer", required = true, paramLabel = "DIR",
            description = "GPT-2 tokenizer files (e.g. ../shared/reference/gpt2).")
    Path tokenizer;

    @Option(names = "--corpus", required = true, paramLabel = "FILE", description = "UTF-8 text (e.g. tinyshakespeare).")
    Path corpus;

    @Option(names = "--warmup", defaultValue = "10", description = "Warm-up runs (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--runs", defaultValue = "20", description = "Timed runs (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--train-vocab", defaultValue = "4096", description = "BPE training vocab size (default: ${DEFAULT-VALUE}).")
    int trainVocab;

    @Option(names = "--train-runs", defaultValue = "3", description = "Timed training runs (default: ${DEFAULT-VALUE}).")
    int trainRuns;

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    @Override
    public Integer call() throws Exception {
        String text = TextCorpus.read(corpus);
        long bytes = Files.size(corpus);
        // Encoding. "cold": a freshly loaded tokenizer each run (empty word cache, JIT warm);
        // "warm": the same tokenizer again (its word cache already holds the corpus's words).
        double[] cold = new double[runs];
        double[] warm = new double[runs];
        int tokens = 0;
        for (int r = -warmup; r < runs; r++) {
            Tokenizer fresh = Tokenizers.load(tokenizer);
            long t0 = System.nanoTime();
            tokens = fresh.encodeOrdinary(text).length;
            long t1 = System.nanoTime();
            fresh.encodeOrdinary(text);
            long t2 = System.nanoTime();
            if (r >= 0) {
                cold[r] = bytes / 1e6 / ((t1 - t0) / 1e9);
                warm[r] = bytes / 1e6 / ((t2 - t1) / 1e9);
            }
        }
        // BPE training.
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
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("corpus", corpus.getFileName().toString());
        result.put("bytes", bytes);
        result.put("gpt2_tokens", tokens);
        result.put("encode_mb_s_cold_median", round(median(cold)));
        result.put("encode_mb_s_cold_max", round(Arrays.stream(cold).max().orElse(0)));
        result.put("encode_mb_s_warm_median", round(median(warm)));
        result.put("train_vocab", trainedVocab);
        result.put("train_seconds_median", round(median(train)));
        result.put("train_seconds_min", round(Arrays.stream(train).min().orElse(0)));
        result.put("java", System.getProperty("java.version"));
        System.out.printf("GPT-2 encode %s (%,d bytes -> %,d tokens), one thread, %d runs after %d warm-up:%n",
                corpus.getFileName(), bytes, tokens, runs, warmup);
        System.out.printf("  fresh tokenizer (empty word cache): median %.2f MB/s, best %.2f MB/s%n", median(cold),
                Arrays.stream(cold).max().orElse(0));
        System.out.printf("  same tokenizer again (warm cache):   median %.2f MB/s%n", median(warm));
        System.out.printf("byte-level BPE training to %,d tokens: median %.2f s, best %.2f s (%d runs)%n", trainedVocab,
                median(train), Arrays.stream(train).min().orElse(0), trainRuns);
        System.out.println(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(result));
        return 0;
    }

    private static double round(double x) {
        return Math.round(x * 1000) / 1000.0;
    }
}
