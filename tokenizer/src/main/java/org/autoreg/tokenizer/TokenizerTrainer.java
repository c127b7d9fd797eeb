package org.autoreg.tokenizer;

import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import org.autoreg.tokenizer.io.TextCorpus;

/**
 * Trains a tokenizer from text: byte-level BPE (GPT-2 style), character-level (nanoGPT's
 * shakespeare-char) or word-level. Feed text with {@link #feed} or {@link #feedFile}, then call
 * {@link #train}. Deterministic: the same text and config give the same tokenizer, whatever the
 * order of equally frequent pairs in memory (ties break by token id).
 *
 * <pre>{@code
 * TokenizerTrainer t = new TokenizerTrainer(TokenizerTrainer.Config.byteLevelBpe(4096));
 * t.feedFile(Path.of("input.txt"));
 * Tokenizer tok = t.train();
 * }</pre>
 */
public final class TokenizerTrainer {

    /** The tokenizer family to train. */
    public enum Kind {
        /** Byte-level BPE with the GPT-2 pre-tokenizer and byte alphabet: never meets an unknown character. */
        BYTE_LEVEL_BPE,
        /** One token per character seen in the corpus, ids in code point order (nanoGPT's char-level). */
        CHAR_LEVEL,
        /** One token per word (Whitespace pre-tokenizer by default), most frequent first. */
        WORD_LEVEL
    }

    /**
     * What to train.
     *
     * @param kind          the tokenizer family
     * @param vocabSize     target vocabulary size, special tokens included (ignored for char-level)
     * @param minFrequency  BPE: merge only pairs seen at least this often; word/char-level: keep only
     *                      words/characters seen at least this often
     * @param specialTokens special tokens, given the first ids in this order
     * @param unkToken      token for unknown words (word-level) or characters (char-level); null for none
     * @param normalizer    normalizer of the trained tokenizer, or null
     * @param preTokenizer  pre-tokenizer for word-level (null: {@link PreTokenizer#whitespace()})
     */
    public record Config(Kind kind, int vocabSize, int minFrequency, List<String> specialTokens, String unkToken,
            Normalizer normalizer, PreTokenizer preTokenizer) {
        public Config {
            if (kind == null) {
                throw new IllegalArgumentException("trainer kind is required");
            }
            specialTokens = specialTokens == null ? List.of() : List.copyOf(specialTokens);
            if (minFrequency < 0) {
                throw new IllegalArgumentException("minFrequency must be ≥ 0, got " + minFrequency);
            }
            if (new HashSet<>(specialTokens).size() != specialTokens.size()) {
                throw new IllegalArgumentException("special tokens must be distinct: " + specialTokens);
            }
            for (String s : specialTokens) {
                if (s == null || s.isEmpty()) {
                    throw new IllegalArgumentException("special tokens must be non-empty strings");
                }
            }
            if (kind == Kind.BYTE_LEVEL_BPE) {
                int alphabet = 256 + specialTokens.size();
                if (vocabSize < alphabet) {
                    throw new IllegalArgumentException("vocab size " + vocabSize + " is smaller than the byte-level "
                            + "alphabet: 256 bytes + " + specialTokens.size() + " special tokens = " + alphabet
                            + "; choose a vocab size of at least " + alphabet);
                }
            } else if (kind == Kind.WORD_LEVEL && vocabSize < specialTokens.size() + 1) {
                throw new IllegalArgumentException("vocab size " + vocabSize + " leaves no room for words after "
                        + specialTokens.size() + " special tokens");
            }
        }

        /** Byte-level BPE with {@code vocabSize} tokens, pairs seen at least twice, {@code <|endoftext|>} special. */
        public static Config byteLevelBpe(int vocabSize) {
            return new Config(Kind.BYTE_LEVEL_BPE, vocabSize, 2, List.of("<|endoftext|>"), null, null, null);
        }

        /** Character-level: every character of the corpus, no special tokens (as nanoGPT). */
        public static Config charLevel() {
            return new Config(Kind.CHAR_LEVEL, 0, 1, List.of(), null, null, null);
        }

        /** Word-level on whitespace/punctuation, at most {@code vocabSize} tokens, with an {@code <unk>} token. */
        public static Config wordLevel(int vocabSize, int minFrequency) {
            return new Config(Kind.WORD_LEVEL, vocabSize, minFrequency, List.of("<unk>"), "<unk>", null, null);
        }

        public Config withSpecialTokens(List<String> tokens) {
            return new Config(kind, vocabSize, minFrequency, tokens, unkToken, normalizer, preTokenizer);
        }

        public Config withMinFrequency(int min) {
            return new Config(kind, vocabSize, min, specialTokens, unkToken, normalizer, preTokenizer);
        }

        public Config withNormalizer(Normalizer n) {
            return new Config(kind, vocabSize, minFrequency, specialTokens, unkToken, n, preTokenizer);
        }

        public Config withPreTokenizer(PreTokenizer p) {
            return new Config(kind, vocabSize, minFrequency, specialTokens, unkToken, normalizer, p);
        }
    }

    private final Config config;
    /** Splits text into the pieces to count (null for char-level). */
    private final PreTokenizers.Base pre;
    /** Piece (or character, for char-level) → count. */
    private final Map<String, long[]> counts = new HashMap<>();
    private long fedChars;

    public TokenizerTrainer(Config config) {
        this.config = config;
        this.pre = (PreTokenizers.Base) switch (config.kind()) {
            case BYTE_LEVEL_BPE -> PreTokenizer.byteLevel();
            case WORD_LEVEL -> config.preTokenizer() == null ? PreTokenizer.whitespace() : config.preTokenizer();
            case CHAR_LEVEL -> null;
        };
    }

    /** Counts the pieces of {@code text}. Texts are independent documents: nothing joins across them. */
    public void feed(String text) {
        fedChars += text.length();
        if (config.kind() == Kind.CHAR_LEVEL) {
            String norm = config.normalizer() == null ? text : config.normalizer().normalize(text);
            norm.codePoints().forEach(cp -> counts.computeIfAbsent(new String(Character.toChars(cp)), k -> new long[1])[0]++);
            return;
        }
        String norm = config.normalizer() == null ? text : config.normalizer().normalize(text);
        pre.split(norm, 0, norm.length(), (source, from, to, shift, byteLevel) ->
                counts.computeIfAbsent(source.subSequence(from, to).toString(), k -> new long[1])[0]++);
    }

    /** Feeds a UTF-8 file, streamed in chunks (invalid UTF-8 or an empty file is an error). */
    public void feedFile(Path file) {
        TextCorpus.chunks(file, 1 << 20, this::feed);
    }

    /** Trains on everything fed so far. */
    public Tokenizer train() {
        if (fedChars == 0 || counts.isEmpty()) {
            throw new TokenizerException("nothing to train on: the corpus is empty; feed some text first");
        }
        return switch (config.kind()) {
            case BYTE_LEVEL_BPE -> trainBpe();
            case CHAR_LEVEL -> trainChars();
            case WORD_LEVEL -> trainWords();
        };
    }

    private void addSpecials(Tokenizer.Builder b, Map<String, Integer> vocab) {
        for (String s : config.specialTokens()) {
            b.addedToken(AddedToken.special(s, vocab.get(s)));
        }
    }

    private Map<String, Integer> specialsFirst() {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (String s : config.specialTokens()) {
            vocab.put(s, vocab.size());
        }
        return vocab;
    }

    private SpecialTokens roles() {
        List<String> s = config.specialTokens();
        String eos = s.contains("<|endoftext|>") ? "<|endoftext|>" : s.contains("</s>") ? "</s>" : null;
        String bos = s.contains("<s>") ? "<s>" : s.contains("<|endoftext|>") ? "<|endoftext|>" : null;
        String pad = s.contains("<pad>") ? "<pad>" : s.contains("[PAD]") ? "[PAD]" : null;
        return new SpecialTokens(bos, eos, pad, config.unkToken());
    }

    private Tokenizer trainChars() {
        Map<String, Integer> vocab = specialsFirst();
        if (config.unkToken() != null && !vocab.containsKey(config.unkToken())) {
            vocab.put(config.unkToken(), vocab.size());
        }
        TreeMap<Integer, String> byCodePoint = new TreeMap<>();
        counts.forEach((c, n) -> {
            if (n[0] >= Math.max(1, config.minFrequency())) {
                byCodePoint.put(c.codePointAt(0), c);
            }
        });
        for (String c : byCodePoint.values()) {
            vocab.putIfAbsent(c, vocab.size());
        }
        Tokenizer.Builder b = Tokenizer.builder(new Bpe(vocab, List.of(), config.unkToken(), null, null, false, false,
                false)).normalizer(config.normalizer()).decoder(Decoder.fuse()).specialTokens(roles());
        addSpecials(b, vocab);
        return b.build();
    }

    private Tokenizer trainWords() {
        Map<String, Integer> vocab = specialsFirst();
        if (config.unkToken() != null && !vocab.containsKey(config.unkToken())) {
            vocab.put(config.unkToken(), vocab.size());
        }
        List<Map.Entry<String, long[]>> words = new ArrayList<>(counts.entrySet());
        words.sort((x, y) -> x.getValue()[0] != y.getValue()[0] ? Long.compare(y.getValue()[0], x.getValue()[0])
                : x.getKey().compareTo(y.getKey()));
        for (Map.Entry<String, long[]> w : words) {
            if (vocab.size() >= config.vocabSize() || w.getValue()[0] < Math.max(1, config.minFrequency())) {
                break;
            }
            vocab.putIfAbsent(w.getKey(), vocab.size());
        }
        Tokenizer.Builder b = Tokenizer.builder(new WordLevel(vocab, config.unkToken())).normalizer(config.normalizer())
                .preTokenizer(pre).specialTokens(roles());
        addSpecials(b, vocab);
        return b.build();
    }

    // ------------------------------------------------------------------ BPE

    /** Adjacent pair statistics: weighted count and the words it occurs in. */
    private static final class PairStat {
        final int a;
        final int b;
        long count;
        final Set<Integer> words = new HashSet<>();

        PairStat(int a, int b) {
            this.a = a;
            this.b = b;
        }
    }

    /** A queue entry; stale when its count no longer matches the pair's. */
    private record Candidate(long count, int a, int b) {
    }

    private Tokenizer trainBpe() {
        Map<String, Integer> vocab = specialsFirst();
        List<String> idToToken = new ArrayList<>(vocab.keySet());
        int[] byteId = new int[256];
        for (int x = 0; x < 256; x++) {
            String c = String.valueOf(ByteLevelAlphabet.BYTE_TO_CHAR[x]);
            Integer existing = vocab.get(c);
            if (existing == null) {
                existing = vocab.size();
                vocab.put(c, existing);
                idToToken.add(c);
            }
            byteId[x] = existing;
        }
        // Words as symbol arrays, sorted so that the result does not depend on hash order.
        List<String> pieces = new ArrayList<>(counts.keySet());
        pieces.sort(null);
        int nWords = pieces.size();
        int[][] words = new int[nWords][];
        long[] wordCount = new long[nWords];
        for (int w = 0; w < nWords; w++) {
            byte[] bytes = Utf8.encode(pieces.get(w));
            words[w] = new int[bytes.length];
            for (int k = 0; k < bytes.length; k++) {
                words[w][k] = byteId[bytes[k] & 0xFF];
            }
            wordCount[w] = counts.get(pieces.get(w))[0];
        }
        Map<Long, PairStat> pairs = new HashMap<>();
        for (int w = 0; w < nWords; w++) {
            addPairs(words[w], w, wordCount[w], pairs, null);
        }
        PriorityQueue<Candidate> queue = new PriorityQueue<>((x, y) -> x.count() != y.count()
                ? Long.compare(y.count(), x.count()) : x.a() != y.a() ? Integer.compare(x.a(), y.a())
                : Integer.compare(x.b(), y.b()));
        for (PairStat p : pairs.values()) {
            queue.add(new Candidate(p.count, p.a, p.b));
        }
        List<Map.Entry<String, String>> merges = new ArrayList<>();
        int minFrequency = Math.max(1, config.minFrequency());
        while (vocab.size() < config.vocabSize() && !queue.isEmpty()) {
            Candidate top = queue.poll();
            PairStat p = pairs.get(PairTable.key(top.a(), top.b()));
            if (p == null || p.count <= 0) {
                continue;
            }
            if (p.count != top.count()) {
                queue.add(new Candidate(p.count, p.a, p.b));
                continue;
            }
            if (p.count < minFrequency) {
                break;
            }
            String left = idToToken.get(p.a);
            String right = idToToken.get(p.b);
            String joined = left + right;
            Integer newId = vocab.get(joined);
            if (newId == null) {
                newId = vocab.size();
                vocab.put(joined, newId);
                idToToken.add(joined);
            }
            merges.add(new AbstractMap.SimpleImmutableEntry<>(left, right));
            Set<Long> grown = new HashSet<>();
            List<Integer> affected = new ArrayList<>(p.words);
            affected.sort(null);
            for (int w : affected) {
                int[] before = words[w];
                int[] after = merge(before, p.a, p.b, newId);
                if (after.length == before.length) {
                    continue;
                }
                removePairs(before, wordCount[w], pairs);
                addPairs(after, w, wordCount[w], pairs, grown);
                words[w] = after;
            }
            pairs.remove(PairTable.key(p.a, p.b));
            List<Long> grownSorted = new ArrayList<>(grown);
            grownSorted.sort(null);
            for (long k : grownSorted) {
                PairStat g = pairs.get(k);
                if (g != null && g.count > 0) {
                    queue.add(new Candidate(g.count, g.a, g.b));
                }
            }
        }
        Tokenizer.Builder b = Tokenizer.builder(new Bpe(vocab, merges, null, null, null, false, false, false))
                .normalizer(config.normalizer())
                .preTokenizer(PreTokenizer.byteLevel())
                .postProcessor(PostProcessor.byteLevel(false))
                .decoder(Decoder.byteLevel())
                .specialTokens(roles());
        addSpecials(b, vocab);
        return b.build();
    }

    private static void addPairs(int[] word, int w, long count, Map<Long, PairStat> pairs, Set<Long> grown) {
        for (int k = 0; k + 1 < word.length; k++) {
            long key = PairTable.key(word[k], word[k + 1]);
            PairStat p = pairs.get(key);
            if (p == null) {
                p = new PairStat(word[k], word[k + 1]);
                pairs.put(key, p);
            }
            p.count += count;
            p.words.add(w);
            if (grown != null) {
                grown.add(key);
            }
        }
    }

    private static void removePairs(int[] word, long count, Map<Long, PairStat> pairs) {
        for (int k = 0; k + 1 < word.length; k++) {
            PairStat p = pairs.get(PairTable.key(word[k], word[k + 1]));
            if (p != null) {
                p.count -= count;
            }
        }
    }

    /** {@code word} with every non-overlapping (a, b), left to right, replaced by {@code merged}. */
    private static int[] merge(int[] word, int a, int b, int merged) {
        int[] out = new int[word.length];
        int n = 0;
        for (int k = 0; k < word.length; k++) {
            if (k + 1 < word.length && word[k] == a && word[k + 1] == b) {
                out[n++] = merged;
                k++;
            } else {
                out[n++] = word[k];
            }
        }
        return n == word.length ? word : java.util.Arrays.copyOf(out, n);
    }
}
