package org.autoreg.generate.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.autoreg.generate.GenerationConfig;
import picocli.CommandLine.Option;

/** The generation flags shared by {@code generate} and {@code chat}; unset flags keep the model's defaults. */
final class GenerationOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "A generation_config.json of settings (flags override it).")
    Path config;

    @Option(names = "--max-new-tokens", paramLabel = "N", description = "Generate at most N tokens (wins over --max-length).")
    Integer maxNewTokens;

    @Option(names = "--max-length", paramLabel = "N", description = "Prompt plus new tokens at most N.")
    Integer maxLength;

    @Option(names = "--min-new-tokens", paramLabel = "N", description = "Suppress EOS before N new tokens.")
    Integer minNewTokens;

    @Option(names = "--do-sample", negatable = true, description = "Sample (--do-sample) or decode greedily "
            + "(--no-do-sample); default: the model's generation_config.json.")
    Boolean doSample;

    @Option(names = "--greedy", description = "Same as --no-do-sample: always the most likely token.")
    boolean greedy;

    @Option(names = "--temperature", paramLabel = "T", description = "Divide the logits by T (0 = greedy).")
    Double temperature;

    @Option(names = "--top-k", paramLabel = "K", description = "Sample among the K most likely tokens (0 = all).")
    Integer topK;

    @Option(names = "--top-p", paramLabel = "P", description = "Sample within the top probability mass P (nucleus).")
    Double topP;

    @Option(names = "--min-p", paramLabel = "P", description = "Drop tokens below P × the top probability.")
    Double minP;

    @Option(names = "--repetition-penalty", paramLabel = "R", description = "> 1 discourages tokens already present.")
    Double repetitionPenalty;

    @Option(names = "--no-repeat-ngram-size", paramLabel = "N", description = "Never repeat an N-gram.")
    Integer noRepeatNgramSize;

    @Option(names = "--stop", paramLabel = "TEXT", description = "Stop before this text (repeatable; not printed).")
    List<String> stop;

    @Option(names = "--eos-token-id", paramLabel = "ID", split = ",", description = "End at these token ids.")
    List<Integer> eosTokenIds;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the sampling (default "
            + GenerationConfig.DEFAULT_SEED + ").")
    Long seed;

    @Option(names = "--no-cache", description = "Recompute the whole context for every token (no KV cache).")
    boolean noCache;

    @Option(names = "--no-slide", description = "Refuse prompts + new tokens longer than the model's context "
            + "(default: slide the window).")
    boolean noSlide;

    @Option(names = "--context-overflow", paramLabel = "MODE", description = "slide (exact, default), refill "
            + "(restart the cache from half a window: faster, approximate) or error.")
    GenerationConfig.ContextOverflow contextOverflow;

    /** The request these flags describe, over the --config file if given. */
    GenerationConfig request(int numReturnSequences) throws IOException {
        if (greedy && Boolean.TRUE.equals(doSample)) {
            throw new org.autoreg.tokenizer.cli.Cli.UsageException("--greedy and --do-sample contradict each other; choose one");
        }
        GenerationConfig base = config != null ? GenerationConfig.load(config) : GenerationConfig.EMPTY;
        GenerationConfig flags = GenerationConfig.builder().maxNewTokens(maxNewTokens).maxLength(maxLength)
                .minNewTokens(minNewTokens).doSample(greedy ? Boolean.FALSE : doSample).temperature(temperature).topK(topK).topP(topP).minP(minP)
                .repetitionPenalty(repetitionPenalty).noRepeatNgramSize(noRepeatNgramSize).stopStrings(stop)
                .eosTokenIds(eosTokenIds).seed(seed)
                .numReturnSequences(numReturnSequences > 0 ? numReturnSequences : null)
                .useCache(noCache ? Boolean.FALSE : null)
                .contextOverflow(noSlide ? GenerationConfig.ContextOverflow.ERROR : contextOverflow).build();
        return base.merge(flags);
    }
}
