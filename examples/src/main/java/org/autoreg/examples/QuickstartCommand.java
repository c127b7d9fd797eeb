package org.autoreg.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.autoreg.core.data.CorpusCatalog;
import org.autoreg.tokenizer.Encoding;
import org.autoreg.tokenizer.Tokenizer;
import org.autoreg.tokenizer.TokenizerTrainer;
import org.autoreg.tokenizer.io.TextCorpus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code autoreg quickstart}: the main job on the default corpus. Today that is the tokenizer
 * stage of the pipeline (the train and generate modules are not built yet): fetch tinyshakespeare,
 * train nanoGPT's character-level tokenizer and a byte-level BPE, and show what they do to text.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = "Run the main job on the default corpus (tinyshakespeare): today, the tokenizer stage.")
final class QuickstartCommand implements Callable<Integer> {
    @Option(names = "--corpus", paramLabel = "FILE", description = "Use this text file instead of tinyshakespeare.")
    Path corpus;

    @Option(names = "--data-mirror", paramLabel = "DIR",
            description = "Directory holding tinyshakespeare.txt (else $" + CorpusCatalog.MIRROR_ENV + ", else download).")
    Path mirror;

    @Option(names = "--vocab-size", defaultValue = "1024", paramLabel = "N",
            description = "BPE vocabulary size (default: ${DEFAULT-VALUE}).")
    int vocabSize;

    @Option(names = "--out", defaultValue = "runs/quickstart", paramLabel = "DIR",
            description = "Where to save the tokenizers (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        Path file = corpus != null ? corpus : CorpusCatalog.fromEnvironment().withMirror(mirror).resolve("tinyshakespeare");
        String text = TextCorpus.read(file);
        long bytes = Files.size(file);
        System.out.printf("autoreg quickstart: corpus %s (%,d bytes, %,d characters)%n%n", file, bytes, text.length());
        String sample = firstLine(text);

        TokenizerTrainer chars = new TokenizerTrainer(TokenizerTrainer.Config.charLevel());
        chars.feed(text);
        Tokenizer charTok = chars.train();
        charTok.save(out.resolve("char"));
        System.out.printf("[1/2] character-level tokenizer (nanoGPT's shakespeare_char): %d symbols%n",
                charTok.vocabSize());
        System.out.printf("      %s -> %s%n%n", quote(sample), ids(charTok.encodeOrdinary(sample), 16));

        long t0 = System.nanoTime();
        TokenizerTrainer bpeTrainer = new TokenizerTrainer(TokenizerTrainer.Config.byteLevelBpe(vocabSize));
        bpeTrainer.feed(text);
        Tokenizer bpe = bpeTrainer.train();
        double secs = (System.nanoTime() - t0) / 1e9;
        bpe.save(out.resolve("bpe"));
        int[] all = bpe.encodeOrdinary(text);
        boolean exact = bpe.decode(all).equals(text);
        System.out.printf("[2/2] byte-level BPE (GPT-2 style), %,d tokens, trained in %.1f s%n", bpe.vocabSize(), secs);
        System.out.printf("      corpus: %,d bytes -> %,d tokens (%.2f bytes/token); decode(encode(corpus)) %s%n",
                bytes, all.length, (double) bytes / all.length, exact ? "== corpus" : "DIFFERS");
        String line = longLine(text);
        Encoding enc = bpe.encode(line, false);
        System.out.printf("      %s%n      -> %s%n%n", quote(line), enc.tokens());
        System.out.printf("saved %s and %s%n", out.resolve("char").resolve("tokenizer.json"),
                out.resolve("bpe").resolve("tokenizer.json"));
        System.out.println("Training a transformer on these tokens and generating text come with the train and "
                + "generate modules; see README.md.");
        return exact ? 0 : 1;
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl > 0 ? text.substring(0, nl) : text.substring(0, Math.min(40, text.length()));
    }

    /** A line of 40-80 characters from the corpus (deterministic: the first such). */
    private static String longLine(String text) {
        for (String l : text.split("\n")) {
            if (l.length() >= 40 && l.length() <= 80) {
                return l;
            }
        }
        return firstLine(text);
    }

    private static String quote(String s) {
        return "\"" + s.replace("\n", "\\n") + "\"";
    }

    private static String ids(int[] ids, int max) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < Math.min(max, ids.length); i++) {
            sb.append(i == 0 ? "" : ", ").append(ids[i]);
        }
        return sb.append(ids.length > max ? ", ...]" : "]").toString();
    }

}
