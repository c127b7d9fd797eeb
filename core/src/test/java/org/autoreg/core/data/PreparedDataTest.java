package org.autoreg.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreparedDataTest {
    @TempDir
    Path tmp;

    private Path corpus() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            sb.append("line ").append(i).append(": to be or not to be, that is the question.\n");
        }
        return Files.writeString(tmp.resolve("corpus.txt"), sb);
    }

    @Test
    void charPreparationSplitsNinetyTenLikeNanoGpt() throws IOException {
        Path c = corpus();
        String text = Files.readString(c);
        PreparedData d = PreparedData.prepare(c, "char", tmp.resolve("data"), 0.1);
        int n = (int) (text.length() * 0.9);
        assertEquals(n, d.train().size());
        assertEquals(text.length() - n, d.val().size());
        assertEquals(2, d.meta().get("token_bytes").asInt());
        int[] first = new int[20];
        d.train().read(0, first);
        assertArrayEquals(d.tokenizer().encodeOrdinary(text.substring(0, 20)), first);
        int[] v = new int[10];
        d.val().read(0, v);
        assertEquals(text.substring(n, n + 10), d.tokenizer().decode(v));
        PreparedData again = PreparedData.open(tmp.resolve("data"));
        assertEquals(d.meta(), again.meta());
    }

    @Test
    void bpePreparationAndItsSpecErrors() throws IOException {
        Path c = corpus();
        PreparedData d = PreparedData.prepare(c, "bpe:300", tmp.resolve("bpe"), 0.1);
        assertEquals(300, d.tokenizer().vocabSize());
        assertTrue(d.train().size() < Files.size(c) * 0.9 / 2, "BPE compresses");
        assertThrows(IllegalArgumentException.class, () -> PreparedData.prepare(c, "bpe:lots", tmp.resolve("x"), 0.1));
        assertThrows(IllegalArgumentException.class, () -> PreparedData.prepare(c, "unigram", tmp.resolve("x"), 0.1));
        assertThrows(IllegalArgumentException.class, () -> PreparedData.prepare(c, "char", tmp.resolve("x"), 1.5));
        // an existing tokenizer directory
        PreparedData reuse = PreparedData.prepare(c, tmp.resolve("bpe").toString(), tmp.resolve("reuse"), 0.1);
        assertEquals(d.meta().get("tokenizer_sha256"), reuse.meta().get("tokenizer_sha256"));
    }

    /** Documents separated by a literal end-of-text marker, as in many scraped corpora. */
    private Path corpusWithLiterals() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            sb.append("line ").append(i).append(": to be or not to be, that is the question.\n");
            if (i % 10 == 9) {
                sb.append("<|endoftext|>");
            }
        }
        return Files.writeString(tmp.resolve("eot.txt"), sb);
    }

    @Test
    void specialTokenLiteralsAreTextByDefaultCountedAndMatchedOnRequest() throws IOException {
        Path c = corpusWithLiterals();
        PreparedData split = PreparedData.prepare(c, "bpe:300", tmp.resolve("split"), 0.1);
        int eos = split.tokenizer().tokenToId("<|endoftext|>").getAsInt();
        assertEquals("split", split.meta().get("special_tokens").asText());
        assertEquals(40, split.meta().get("special_token_literals").asInt());
        assertEquals(40, split.meta().get("special_token_literals_top").get("<|endoftext|>").asInt());
        String w = split.specialTokenWarning().orElseThrow();
        assertTrue(w.startsWith("40 literal special-token strings in the corpus ('<|endoftext|>' 40 times) were "
                + "encoded as text; 'autoreg prepare --match-special-tokens'"), w);
        assertEquals(0, count(split.train(), eos), "split: no id of <|endoftext|> in the data");

        PreparedData matched = PreparedData.prepare(c, tmp.resolve("split").toString(), tmp.resolve("matched"), 0.1,
                true);
        assertEquals("matched", matched.meta().get("special_tokens").asText());
        assertEquals(40, count(matched.train(), eos) + count(matched.val(), eos), "matched: one id per literal");
        assertTrue(matched.specialTokenWarning().isEmpty());
        assertTrue(PreparedData.prepare(corpus(), "bpe:300", tmp.resolve("clean"), 0.1).specialTokenWarning().isEmpty(),
                "no literals, no warning");
    }

    private static int count(TokenDataset d, int id) {
        int[] all = new int[(int) d.size()];
        d.read(0, all);
        return (int) java.util.Arrays.stream(all).filter(x -> x == id).count();
    }

    @Test
    void samplerIsSeededAndResumable() throws IOException {
        PreparedData d = PreparedData.prepare(corpus(), "char", tmp.resolve("data"), 0.1);
        BatchSampler a = new BatchSampler(d.train(), 4, 16, 1337);
        BatchSampler b = new BatchSampler(d.train(), 4, 16, 1337);
        List<Batch> first = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Batch x = a.next();
            Batch y = b.next();
            assertArrayEquals(x.x(), y.x());
            first.add(x);
        }
        long[] saved = a.state();
        Batch next = a.next();
        BatchSampler c = new BatchSampler(d.train(), 4, 16, 0);
        c.restore(saved);
        assertArrayEquals(next.x(), c.next().x(), "a restored sampler continues exactly");
        Batch one = first.get(0);
        for (int r = 0; r < 4; r++) {
            for (int t = 0; t + 1 < 16; t++) {
                assertEquals(one.x()[r][t + 1], one.y()[r][t], "y is x shifted by one");
            }
        }
        SequentialBatches val = new SequentialBatches(d.val(), 2, 16);
        int count = 0;
        for (Batch bt : val) {
            count++;
            assertEquals(2, bt.x().length);
        }
        assertEquals(val.count(), count);
        assertTrue(count > 0);
        assertThrows(IllegalArgumentException.class, () -> new BatchSampler(d.val(), 4, 100_000, 1));
    }

    @Test
    void damagedPreparedDataIsExplained() throws IOException {
        Path out = tmp.resolve("data");
        PreparedData.prepare(corpus(), "char", out, 0.1);
        byte[] bin = Files.readAllBytes(out.resolve("val.bin"));
        Files.write(out.resolve("val.bin"), java.util.Arrays.copyOf(bin, bin.length - 1));
        String m = assertThrows(IOException.class, () -> PreparedData.open(out)).getMessage();
        assertTrue(m.contains("not a whole number"), m);
        Files.write(out.resolve("val.bin"), java.util.Arrays.copyOf(bin, bin.length - 2));
        m = assertThrows(IOException.class, () -> PreparedData.open(out)).getMessage();
        assertTrue(m.contains("meta.json says"), m);
        Files.write(out.resolve("val.bin"), bin);
        String tokJson = Files.readString(out.resolve("tokenizer.json"));
        Files.writeString(out.resolve("tokenizer.json"), tokJson.replace("\"a\": ", "\"A\": "));
        m = assertThrows(IOException.class, () -> PreparedData.open(out)).getMessage();
        assertTrue(m.contains("fingerprint"), m);
        assertTrue(assertThrows(IOException.class, () -> PreparedData.open(tmp)).getMessage().contains("autoreg prepare"));
    }
}
