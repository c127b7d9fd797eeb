package org.autoreg.generate.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.autoreg.generate.GenerationConfig;
import org.autoreg.generate.GenerationConfig.ContextOverflow;
import org.autoreg.generate.Generator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code autoreg generate bench}: decode speed with and without the KV cache, as the reference
 * script measures it (batch 1, sampling at temperature 1 from a single newline, median of reps).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Decoding speed (tokens/s) with and without the key/value cache.",
            "Example: autoreg generate bench --model runs/quickstart/best --new-tokens 500"})
public final class DecodeBenchCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR") Path model;
    @Option(names = "--prompt", defaultValue = "\n", description = "Prompt (default: a newline).") String prompt;
    @Option(names = "--new-tokens", defaultValue = "500") int newTokens;
    @Option(names = "--reps", defaultValue = "3") int reps;

    @Override
    public Integer call() throws Exception {
        Generator g = Generator.load(model, System.err::println);
        int block = g.model().config().blockSize();
        int inWindow = Math.max(1, block - g.encodePrompt(prompt).length);
        System.out.printf("model %s: block %d, %d new tokens, sampling T=1, median of %d (after a warm-up)%n", model,
                block, newTokens, reps);
        System.out.printf("%-34s %10s %10s%n", "mode", "tokens", "tok/s");
        row(g, "no cache (full recompute)", false, ContextOverflow.SLIDE, newTokens);
        if (g.model().config().architecture() == org.autoreg.core.ModelConfig.Architecture.LLAMA) {
            // rotary positions: the cache rolls (each token attends to the last block_size positions)
            row(g, "KV cache, rolling window", true, ContextOverflow.SLIDE, newTokens);
        } else {
            row(g, "KV cache, exact slide", true, ContextOverflow.SLIDE, newTokens);
            row(g, "KV cache, refill half window", true, ContextOverflow.REFILL, newTokens);
        }
        row(g, "no cache, within one window", false, ContextOverflow.SLIDE, inWindow);
        row(g, "KV cache, within one window", true, ContextOverflow.SLIDE, inWindow);
        return 0;
    }

    private void row(Generator g, String name, boolean cache, ContextOverflow overflow, int tokens) {
        GenerationConfig c = GenerationConfig.builder().doSample(true).temperature(1.0).topK(0).topP(1.0)
                .maxNewTokens(tokens).eosTokenIds(List.of()).stopStrings(List.of()).useCache(cache)
                .contextOverflow(overflow).seed(41L).build();
        g.generate(prompt, c);
        List<Double> rates = new ArrayList<>();
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            int n = g.generate(prompt, c.toBuilder().seed(42L + r).build()).get(0).completionTokens();
            rates.add(n / ((System.nanoTime() - t0) / 1e9));
        }
        double[] sorted = rates.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf("%-34s %10d %10.0f%n", name, tokens, sorted[sorted.length / 2]);
        System.out.flush();
    }
}
