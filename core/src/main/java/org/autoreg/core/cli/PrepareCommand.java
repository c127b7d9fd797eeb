package org.autoreg.core.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.autoreg.core.data.CorpusCatalog;
import org.autoreg.core.data.PreparedData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code autoreg prepare}: corpus → tokenizer → train.bin / val.bin / meta.json. */
@Command(name = "prepare", mixinStandardHelpOptions = true,
        description = "Tokenize a corpus into train.bin/val.bin (+ tokenizer, meta.json) for training.")
public final class PrepareCommand implements Callable<Integer> {
    @Option(names = "--corpus", required = true, paramLabel = "FILE|NAME",
            description = "A UTF-8 text file, or a corpus of the catalogue (e.g. tinyshakespeare).")
    String corpus;

    @Option(names = "--tokenizer", defaultValue = "char", paramLabel = "char|bpe:N|DIR",
            description = "char (nanoGPT's char-level), bpe:N (byte-level BPE of N tokens), or a tokenizer directory "
                    + "(default: ${DEFAULT-VALUE}).")
    String tokenizer;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Option(names = "--val-fraction", defaultValue = "0.1", paramLabel = "F",
            description = "Share of the text (at its end) kept for validation (default: ${DEFAULT-VALUE}).")
    double valFraction;

    @Option(names = "--match-special-tokens",
            description = "Encode added/special tokens found in the corpus text (e.g. <|endoftext|>) as their ids. By "
                    + "default the corpus is plain text and such strings are encoded as their characters (tiktoken's "
                    + "encode_ordinary, as nanoGPT), with a warning counting them.")
    boolean matchSpecialTokens;

    @Option(names = "--data-mirror", paramLabel = "DIR", description = "Directory holding catalogue corpora (else $"
            + CorpusCatalog.MIRROR_ENV + ").")
    Path mirror;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        PreparedData d = PreparedData.prepare(CorpusCatalog.fromEnvironment().withMirror(mirror).fileOrCorpus(corpus), tokenizer, out, valFraction,
                matchSpecialTokens);
        d.specialTokenWarning().ifPresent(w -> System.err.println("warning: " + w));
        if (matchSpecialTokens && d.meta().path("special_token_literals").asInt() > 0) {
            System.err.printf("matched %,d special-token strings in the corpus as their ids%n",
                    d.meta().path("special_token_literals").asInt());
        }
        System.err.printf("prepared %s: vocabulary %,d, %,d train + %,d val tokens (%d-byte ids) in %.1f s%n", out,
                d.tokenizer().vocabSize(), d.train().size(), d.val().size(), d.meta().path("token_bytes").asInt(),
                (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
