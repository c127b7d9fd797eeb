package org.autoreg.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    @TempDir
    Path tmp;

    /** A made-up corpus with a Zipf-like word distribution and some non-ASCII text. */
    static String corpus(long seed, int words) {
        String[] vocab = {"the", "king", "queen", "lord", "of", "and", "to", "my", "thou", "art", "love", "death",
            "café", "naïve", "日本", "😀", "shall", "not", "be", "is", "that", "it", "with", "what", "say"};
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < words; i++) {
            int k = (int) Math.min(vocab.length - 1, Math.floor(Math.abs(r.nextGaussian()) * 6));
            sb.append(vocab[k]);
            sb.append(r.nextInt(12) == 0 ? ".\n" : r.nextInt(9) == 0 ? ", " : " ");
        }
        return sb.toString();
    }

    static Tokenizer trainBpe(String text, int vocabSize) {
        TokenizerTrainer t = new TokenizerTrainer(TokenizerTrainer.Config.byteLevelBpe(vocabSize));
        t.feed(text);
        return t.train();
    }

    @Test
    void bpeTrainingIsDeterministicAndReachesTheVocabSize() {
        String text = corpus(1, 20_000);
        Tokenizer a = trainBpe(text, 300);
        Tokenizer b = trainBpe(text, 300);
        assertEquals(a.toJson(), b.toJson(), "same corpus and config give the same tokenizer");
        assertEquals(300, a.vocabSize());
        assertEquals(0, a.tokenToId("<|endoftext|>").getAsInt(), "special tokens get the first ids");
        Tokenizer other = trainBpe(corpus(2, 20_000), 300);
        assertNotEquals(a.toJson(), other.toJson());
    }

    @Test
    void mergesCompressAndRoundTrip() {
        String text = corpus(3, 20_000);
        Tokenizer small = trainBpe(text, 257);
        Tokenizer big = trainBpe(text, 400);
        int bytes = Utf8.encode(text).length;
        assertEquals(bytes, small.encodeOrdinary(text).length, "no merges: one token per byte");
        int n = big.encodeOrdinary(text).length;
        assertTrue(n < bytes / 3, "400 tokens compress the text at least 3x (" + n + " tokens for " + bytes + " bytes)");
        assertEquals(text, big.decode(big.encodeOrdinary(text)));
        // Whole frequent words became single tokens.
        assertEquals(1, big.encode(" king", false).length());
    }

    @Test
    void minFrequencyStopsMerging() {
        TokenizerTrainer t = new TokenizerTrainer(TokenizerTrainer.Config.byteLevelBpe(10_000).withMinFrequency(50));
        t.feed(corpus(4, 5_000));
        Tokenizer tok = t.train();
        assertTrue(tok.vocabSize() < 10_000, "stopped when no pair was seen 50 times: " + tok.vocabSize());
        assertTrue(tok.vocabSize() > 257);
    }

    @Test
    void badTrainingInputsGiveClearErrors() throws IOException {
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                () -> TokenizerTrainer.Config.byteLevelBpe(100));
        assertTrue(small.getMessage().contains("smaller than the byte-level alphabet"), small.getMessage());
        assertTrue(small.getMessage().contains("at least 257"), small.getMessage());

        TokenizerTrainer empty = new TokenizerTrainer(TokenizerTrainer.Config.byteLevelBpe(300));
        TokenizerException noText = assertThrows(TokenizerException.class, empty::train);
        assertTrue(noText.getMessage().contains("empty"), noText.getMessage());

        Path emptyFile = Files.createFile(tmp.resolve("empty.txt"));
        TokenizerException emptyCorpus = assertThrows(TokenizerException.class,
                () -> new TokenizerTrainer(TokenizerTrainer.Config.byteLevelBpe(300)).feedFile(emptyFile));
        assertTrue(emptyCorpus.getMessage().contains("is empty"), emptyCorpus.getMessage());

        Path latin1 = tmp.resolve("latin1.txt");
        Files.write(latin1, "caf\u00e9 au lait\nna\u00efve\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        TokenizerException notUtf8 = assertThrows(TokenizerException.class,
                () -> new TokenizerTrainer(TokenizerTrainer.Config.byteLevelBpe(300)).feedFile(latin1));
        assertTrue(notUtf8.getMessage().contains("not valid UTF-8"), notUtf8.getMessage());
        assertTrue(notUtf8.getMessage().contains("byte 0xE9 at byte offset 3 (line 1)"), notUtf8.getMessage());

        TokenizerException missing = assertThrows(TokenizerException.class,
                () -> new TokenizerTrainer(TokenizerTrainer.Config.byteLevelBpe(300)).feedFile(tmp.resolve("nope.txt")));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    }

    @Test
    void charLevelMatchesNanoGptsVocabulary() {
        String text = "hello world\nHELLO!";
        TokenizerTrainer t = new TokenizerTrainer(TokenizerTrainer.Config.charLevel());
        t.feed(text);
        Tokenizer tok = t.train();
        // nanoGPT: chars = sorted(set(text)); stoi = {ch: i}
        List<Integer> chars = text.codePoints().distinct().sorted().boxed().toList();
        assertEquals(chars.size(), tok.vocabSize());
        int[] ids = tok.encodeOrdinary(text);
        for (int i = 0; i < ids.length; i++) {
            assertEquals(chars.indexOf(text.codePointAt(i)), ids[i]);
        }
        assertEquals(text, tok.decode(ids));
    }

    @Test
    void charLevelOnTinyShakespeareHas65Symbols() {
        Path file = Shared.require("data/tinyshakespeare.txt");
        TokenizerTrainer t = new TokenizerTrainer(TokenizerTrainer.Config.charLevel());
        t.feedFile(file);
        Tokenizer tok = t.train();
        assertEquals(65, tok.vocabSize(), "nanoGPT's shakespeare_char vocabulary");
        assertArrayEquals(new int[] {20, 43, 50, 50, 53}, tok.encodeOrdinary("Hello"));
    }

    @Test
    void wordLevelKeepsTheMostFrequentWords() {
        TokenizerTrainer t = new TokenizerTrainer(TokenizerTrainer.Config.wordLevel(5, 1)
                .withNormalizer(Normalizer.lowercase()));
        t.feed("The cat. the dog. THE cat sat");
        Tokenizer tok = t.train();
        assertEquals(5, tok.vocabSize());
        assertEquals(0, tok.tokenToId("<unk>").getAsInt());
        assertEquals(1, tok.tokenToId("the").getAsInt(), "most frequent first");
        assertEquals(2, tok.tokenToId(".").getAsInt());
        assertEquals(3, tok.tokenToId("cat").getAsInt());
        assertEquals("the cat <unk>", tok.decode(tok.encodeOrdinary("The CAT sat")));
        assertEquals("<unk>", tok.decode(tok.encodeOrdinary("zebra")));
    }

    @Test
    void bpeOnTinyShakespeareTrainsTo4096AndRoundTrips() {
        Path file = Shared.require("data/tinyshakespeare.txt");
        TokenizerTrainer t = new TokenizerTrainer(TokenizerTrainer.Config.byteLevelBpe(4096));
        t.feedFile(file);
        Tokenizer tok = t.train();
        assertEquals(4096, tok.vocabSize());
        String text = org.autoreg.tokenizer.io.TextCorpus.read(file);
        int[] ids = tok.encodeOrdinary(text);
        assertEquals(text, tok.decode(ids));
        double bytesPerToken = Utf8.encode(text).length / (double) ids.length;
        assertTrue(bytesPerToken > 3.0, "a 4k BPE compresses Shakespeare to > 3 bytes a token: " + bytesPerToken);
    }
}
