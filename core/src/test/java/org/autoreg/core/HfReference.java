package org.autoreg.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.autoreg.tokenizer.Tokenizer;
import org.autoreg.tokenizer.TokenizerTrainer;

/**
 * The independent Hugging Face reference ({@code src/test/python/hf_reference.py}, PyTorch) as the
 * tests call it, and the small tokenizer their models use.
 */
final class HfReference {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path SCRIPT = Path.of("src/test/python/hf_reference.py");

    private HfReference() {
    }

    /** A char tokenizer of a pangram pair (every letter, both cases). */
    static Tokenizer tokenizer() {
        TokenizerTrainer t = new TokenizerTrainer(TokenizerTrainer.Config.charLevel());
        t.feed("the quick brown fox jumps over the lazy dog; THE FIVE BOXING WIZARDS JUMP QUICKLY.\n");
        return t.train();
    }

    /** Skips the calling test, with the reason, when Debian's python3-torch is not installed. */
    static void assumePresent() {
        boolean present = false;
        if (Files.isExecutable(PYTHON)) {
            try {
                Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import torch").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                present = p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException | InterruptedException e) {
                present = false;
            }
        }
        assumeTrue(present, "PyTorch is not installed (apt-get install python3-torch): the independent Hugging Face "
                + "reference cannot run");
    }

    /** Runs the reference with {@code args}; its JSON output. */
    static JsonNode run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(PYTHON.toString(), SCRIPT.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "the reference failed: " + err);
        return new ObjectMapper().readTree(out);
    }
}
