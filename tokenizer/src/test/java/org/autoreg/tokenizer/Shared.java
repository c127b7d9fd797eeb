package org.autoreg.tokenizer;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates {@code ../shared} (the project's read-only data); tests that need it skip when it is absent. */
final class Shared {
    private Shared() {
    }

    static Path dir() {
        String prop = System.getProperty("autoreg.shared");
        Path p = Path.of(prop != null ? prop : "../shared").toAbsolutePath().normalize();
        if (!Files.isDirectory(p)) {
            p = Path.of("../../shared").toAbsolutePath().normalize();
        }
        return p;
    }

    /** {@code ../shared/<relative>}, or the test is skipped with the reason. */
    static Path require(String relative) {
        Path p = dir().resolve(relative);
        assumeTrue(Files.exists(p), "skipped: " + p + " is absent (the project's ../shared data is not beside this "
                + "checkout)");
        return p;
    }

    static Tokenizer gpt2() {
        return Tokenizers.load(require("reference/gpt2"));
    }

    /** The cases of {@code reference/gpt2-encode-cases.jsonl} (text, tiktoken's ids, ...), or the test is skipped. */
    static java.util.List<com.fasterxml.jackson.databind.JsonNode> gpt2Cases() throws java.io.IOException {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        java.util.List<com.fasterxml.jackson.databind.JsonNode> out = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(require("reference/gpt2-encode-cases.jsonl"))) {
            if (!line.isBlank()) {
                out.add(json.readTree(line));
            }
        }
        return out;
    }
}
