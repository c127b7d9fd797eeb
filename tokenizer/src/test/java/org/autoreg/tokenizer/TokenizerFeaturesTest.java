package org.autoreg.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Special tokens, truncation, padding, batches, offsets, streaming decode and round trips. */
class TokenizerFeaturesTest {
    static Tokenizer bpe;

    @BeforeAll
    static void train() {
        TokenizerTrainer t = new TokenizerTrainer(TokenizerTrainer.Config.byteLevelBpe(400)
                .withSpecialTokens(List.of("<|endoftext|>", "<pad>", "<s>")));
        t.feed(TrainerTest.corpus(5, 20_000));
        bpe = t.train();
    }

    @Test
    void addedTokensAreNeverSplit() {
        Encoding enc = bpe.encode("the king<|endoftext|>the<pad>", false);
        assertEquals(List.of("the", "Ġking", "<|endoftext|>", "the", "<pad>"), enc.tokens());
        assertArrayEquals(new int[] {0, 0, 1, 0, 1}, enc.specialTokensMask());
        // encodeOrdinary treats the same text as plain characters
        assertTrue(bpe.encodeOrdinary("<|endoftext|>").length > 1);
        assertEquals("the kingthe", bpe.decode(enc.ids(), true));
        assertEquals("the king<|endoftext|>the<pad>", bpe.decode(enc.ids(), false));
    }

    @Test
    void truncationCutsWarnsOnceAndCounts() {
        String text = TrainerTest.corpus(6, 200);
        int full = bpe.encode(text, false).length();
        Tokenizer t = bpe.withTruncation(Truncation.right(16));
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        Encoding right;
        Encoding again;
        try {
            right = t.encode(text, false);
            again = t.encode(text, false);
        } finally {
            System.setErr(err);
        }
        assertEquals(16, right.length());
        assertEquals(full - 16, right.truncatedTokens());
        assertArrayEquals(java.util.Arrays.copyOf(bpe.encode(text, false).ids(), 16), right.ids());
        assertEquals(right, again);
        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("was truncated to 16"), "a warning names the cut: " + log);
        assertEquals(log.indexOf("truncated to"), log.lastIndexOf("truncated to"), "warned once");

        Encoding left = bpe.withTruncation(new Truncation(16, Side.LEFT)).encode(text, false);
        int[] all = bpe.encode(text, false).ids();
        assertArrayEquals(java.util.Arrays.copyOfRange(all, all.length - 16, all.length), left.ids());
    }

    @Test
    void truncationLeavesRoomForTemplateSpecialTokens() {
        int s = bpe.tokenToId("<s>").getAsInt();
        int eot = bpe.tokenToId("<|endoftext|>").getAsInt();
        Tokenizer t = bpe.toBuilder().postProcessor(PostProcessor.template("<s> $A <|endoftext|>",
                Map.of("<s>", s, "<|endoftext|>", eot))).truncation(Truncation.right(6)).build();
        Encoding enc = t.encode("the king and the queen of love", true);
        assertEquals(6, enc.length());
        assertEquals(s, enc.id(0));
        assertEquals(eot, enc.id(5));
        assertArrayEquals(new int[] {1, 0, 0, 0, 0, 1}, enc.specialTokensMask());
        assertEquals(0, enc.start(0));
        assertEquals(0, enc.end(0));
    }

    @Test
    void batchPaddingAndAttentionMasks() {
        int pad = bpe.tokenToId("<pad>").getAsInt();
        Tokenizer t = bpe.withPadding(Padding.longest("<pad>", pad));
        List<Encoding> batch = t.encodeBatch(List.of("the king", "the queen and the lord of death"));
        int n = batch.get(1).length();
        assertEquals(n, batch.get(0).length());
        int[] mask = batch.get(0).attentionMask();
        int real = bpe.encode("the king", true).length();
        for (int i = 0; i < n; i++) {
            assertEquals(i < real ? 1 : 0, mask[i]);
            if (i >= real) {
                assertEquals(pad, batch.get(0).id(i));
            }
        }
        assertArrayEquals(java.util.stream.IntStream.generate(() -> 1).limit(n).toArray(), batch.get(1).attentionMask());

        Tokenizer leftFixed = bpe.withPadding(new Padding(12, "<pad>", pad, Side.LEFT, 8));
        Encoding one = leftFixed.encode("the king", true);
        assertEquals(16, one.length(), "fixed 12 rounded up to a multiple of 8");
        assertEquals(pad, one.id(0));
        assertEquals(1, one.attentionMask()[15]);
    }

    @Test
    void offsetsPointIntoTheOriginalText() {
        String text = "say café 😀 日本";
        Encoding enc = bpe.encode(text, false);
        StringBuilder rebuilt = new StringBuilder();
        for (int i = 0; i < enc.length(); i++) {
            assertTrue(enc.start(i) <= enc.end(i));
            assertTrue(enc.start(i) >= (i == 0 ? 0 : enc.start(i - 1)), "offsets are monotone");
        }
        // Every character is covered, and tokens of a split multi-byte character cover all of it.
        for (int i = 0; i < enc.length(); i++) {
            if (i == 0 || enc.start(i) >= enc.end(i - 1)) {
                rebuilt.append(text, enc.start(i), enc.end(i));
            }
        }
        assertEquals(text, rebuilt.toString());

        Tokenizer lower = Tokenizer.builder(Model.wordLevel(Map.of("<unk>", 0, "hello", 1, "world", 2), "<unk>"))
                .normalizer(Normalizer.sequence(List.of(Normalizer.nfkd(), Normalizer.stripAccents(), Normalizer.lowercase())))
                .preTokenizer(PreTokenizer.whitespace()).build();
        String accented = "HÉLLO   Wörld";
        Encoding w = lower.encode(accented);
        assertEquals(List.of("hello", "world"), w.tokens(), "NFKD + strip accents + lowercase");
        assertEquals("HÉLLO", accented.substring(w.start(0), w.end(0)));
        assertEquals("Wörld", accented.substring(w.start(1), w.end(1)));
    }

    @Test
    void decodeStreamEmitsWholeCharactersOnly() {
        String text = "naïve 😀👋🏽 日本語 done";
        int[] ids = bpe.encodeOrdinary(text);
        DecodeStream stream = bpe.decodeStream(false);
        StringBuilder out = new StringBuilder();
        List<String> deltas = new ArrayList<>();
        for (int id : ids) {
            String d = stream.step(id);
            assertTrue(d.indexOf('\uFFFD') < 0, "no replacement character in a delta");
            if (!d.isEmpty()) {
                assertTrue(!Character.isHighSurrogate(d.charAt(d.length() - 1)), "no half surrogate pair");
                deltas.add(d);
            }
            out.append(d);
        }
        out.append(stream.flush());
        assertEquals(text, out.toString());
        assertTrue(ids.length > deltas.size(), "some tokens were held back until their character completed");
    }

    @Test
    void decodeOfUnknownIdsIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bpe.decode(new int[] {5, 99_999}));
        assertTrue(e.getMessage().contains("99999"), e.getMessage());
    }

    @Test
    void anyStringRoundTripsThroughByteLevelBpe() {
        RandomText gen = new RandomText(11);
        for (int i = 0; i < 3_000; i++) {
            String s = gen.next(15);
            int[] ids = bpe.encodeOrdinary(s);
            assertEquals(s, bpe.decode(ids), () -> Gpt2SplitTest.escape(s));
            if (!s.contains("<|endoftext|>")) {
                assertArrayEquals(ids, bpe.encodeToIds(s, false), "no added token in s: same as encodeOrdinary");
            }
            assertArrayEquals(bpe.encodeToIds(s, true), bpe.encode(s, true).ids(), "fast path equals full path");
        }
    }

    @Test
    void anyStringRoundTripsThroughGpt2() {
        Tokenizer gpt2 = Shared.gpt2();
        RandomText gen = new RandomText(12);
        for (int i = 0; i < 3_000; i++) {
            String s = gen.next(15);
            assertEquals(s, gpt2.decode(gpt2.encodeOrdinary(s)), () -> Gpt2SplitTest.escape(s));
            assertEquals(s, gpt2.decode(gpt2.encode(s).ids()), () -> Gpt2SplitTest.escape(s));
        }
    }
}
