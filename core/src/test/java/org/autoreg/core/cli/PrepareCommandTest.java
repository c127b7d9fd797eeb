package org.autoreg.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.autoreg.core.data.PreparedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code autoreg prepare}: special-token literals are text by default, with a warning; matched on request. */
class PrepareCommandTest {
    @TempDir
    Path tmp;

    private String run(String... args) {
        Commands.Ran r = Commands.run(new PrepareCommand(), args);
        assertEquals(0, r.code(), r.err());
        return r.err();
    }

    @Test
    void warnsAboutLiteralSpecialTokensAndMatchesThemWithTheFlag() throws Exception {
        Path corpus = Files.writeString(tmp.resolve("c.txt"), "to be or not to be<|endoftext|>\n".repeat(120));
        String err = run("--corpus", corpus.toString(), "--tokenizer", "bpe:280", "--out", tmp.resolve("a").toString());
        assertTrue(err.contains("warning: 120 literal special-token strings in the corpus ('<|endoftext|>' 120 times) "
                + "were encoded as text; 'autoreg prepare --match-special-tokens'"), err);
        assertEquals("split", PreparedData.open(tmp.resolve("a")).meta().get("special_tokens").asText());

        err = run("--corpus", corpus.toString(), "--tokenizer", tmp.resolve("a").toString(), "--out",
                tmp.resolve("b").toString(), "--match-special-tokens");
        assertFalse(err.contains("warning"), err);
        assertTrue(err.contains("matched 120 special-token strings"), err);
        PreparedData b = PreparedData.open(tmp.resolve("b"));
        assertEquals("matched", b.meta().get("special_tokens").asText());
        assertTrue(b.train().size() < PreparedData.open(tmp.resolve("a")).train().size(), "one id per literal");
    }
}
