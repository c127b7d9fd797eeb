package org.autoreg.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.autoreg.core.ModelConfig;
import org.autoreg.core.ModelDirectory;
import org.autoreg.core.nn.Gpt;
import org.autoreg.core.nn.PositionalEncoding;
import org.autoreg.tokenizer.Tokenizer;
import org.autoreg.tokenizer.TokenizerTrainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code autoreg export --format hf} then {@code autoreg import}: the weights come back unchanged, and
 * neither command writes over an existing directory without {@code --force} (exit 2, the directory
 * untouched).
 */
class ImportExportCommandTest {
    @TempDir
    Path tmp;

    private String err = "";

    private int run(Object command, String... args) {
        Commands.Ran r = Commands.run(command, args);
        err = r.err();
        return r.code();
    }

    @Test
    void exportAndImportRoundTripAndRefuseToReplaceWithoutForce() throws Exception {
        TokenizerTrainer t = new TokenizerTrainer(TokenizerTrainer.Config.charLevel());
        t.feed("the quick brown fox jumps over the lazy dog\n");
        Tokenizer tok = t.train();
        Gpt g = new Gpt(new ModelConfig(tok.vocabSize(), 16, 1, 2, 16, 0, true, true,
                PositionalEncoding.Kind.LEARNED, 1));
        Path model = tmp.resolve("m");
        ModelDirectory.save(model, g, tok, null, null);
        Path hf = tmp.resolve("m-hf");
        Path back = tmp.resolve("back");

        assertEquals(0, run(new ExportCommand(), "--format", "hf", "--model", model.toString(), "--out", hf.toString()),
                err);
        assertEquals(0, run(new ImportCommand(), "--model", hf.toString(), "--out", back.toString()), err);
        Map<String, INDArray> before = g.params().asMap();
        Map<String, INDArray> after = ModelDirectory.load(back).model().params().asMap();
        assertEquals(before.keySet(), after.keySet());
        before.forEach((name, w) -> assertEquals(w, after.get(name), name));

        Path mark = Files.writeString(back.resolve("notes.txt"), "mine");
        assertEquals(2, run(new ImportCommand(), "--model", hf.toString(), "--out", back.toString()));
        assertTrue(err.contains(back + " already exists; choose another --out or pass --force"), err);
        assertTrue(Files.exists(mark), "the existing directory is left as it was");
        assertEquals(2, run(new ExportCommand(), "--format", "hf", "--model", model.toString(), "--out", back.toString()));
        assertTrue(err.contains(back + " already exists"), err);
        assertTrue(Files.exists(mark), "the existing directory is left as it was");

        assertEquals(0, run(new ImportCommand(), "--model", hf.toString(), "--out", back.toString(), "--force"),
                err);
        assertFalse(Files.exists(mark), "--force replaces the directory");
    }
}
