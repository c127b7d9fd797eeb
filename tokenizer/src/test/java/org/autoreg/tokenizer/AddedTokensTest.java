package org.autoreg.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Added-token matching with Hugging Face's rules (leftmost-longest, single_word, lstrip/rstrip,
 * normalized, split_special_tokens), and the one-pass matcher against the regex alternation it
 * replaced, with 6,000+ added tokens.
 */
class AddedTokensTest {

    /** Word-level over whitespace-split words: the tokens of an encoding read as the text's words. */
    private static Tokenizer words(Normalizer normalizer, AddedToken... added) {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (String w : List.of("<unk>", "a", "b", "c", "x", "y", "say", "hello", "cat", "concat", "cats", "_", "!",
                "é", "<", ">", "/", "<>", "<<", ">>", "><")) {
            vocab.put(w, vocab.size());
        }
        Tokenizer.Builder b = Tokenizer.builder(Model.wordLevel(vocab, "<unk>")).preTokenizer(PreTokenizer.whitespace())
                .normalizer(normalizer);
        for (AddedToken t : added) {
            b.addedToken(t);
        }
        return b.build();
    }

    private static AddedToken token(String content, int id) {
        return new AddedToken(content, id, false, false, false, false, false);
    }

    private static AddedToken special(String content, int id) {
        return AddedToken.special(content, id);
    }

    @Test
    void theLeftmostMatchWinsAndOfThoseTheLongest() {
        Tokenizer t = words(null, special("<a>", 100), special("<a><b>", 101), token("ab", 102), token("bcd", 103));
        assertEquals(List.of("x", "<a><b>", "y", "<a>", "<", "c", ">"), t.encode("x<a><b>y<a><c>", false).tokens());
        assertEquals(List.of("<a>", "<a><b>"), t.encode("<a><a><b>", false).tokens());
        // "ab" starts first, so the longer "bcd" starting inside it is not matched
        assertEquals(List.of("ab", "<unk>"), t.encode("abcd", false).tokens());
        assertEquals(List.of("a", "bcd"), t.encode("a bcd", false).tokens());
    }

    @Test
    void singleWordTokensMatchOnlyWhereNoWordCharacterTouchesThem() {
        AddedToken cat = new AddedToken("cat", 100, false, true, false, false, false);
        Tokenizer t = words(null, cat);
        assertEquals(List.of("a", "cat", "!"), t.encode("a cat!", false).tokens());
        assertArrayEquals(new int[] {100}, t.encodeToIds("cat", false), "the text's ends are not word characters");
        assertEquals(List.of("concat"), t.encode("concat", false).tokens(), "inside a word: not matched");
        assertEquals(List.of("cats"), t.encode("cats", false).tokens());
        assertEquals(List.of("<unk>"), t.encode("cat_", false).tokens(), "_ is a word character");
        assertEquals(List.of("<unk>"), t.encode("écat", false).tokens(), "so are letters outside ASCII");
        assertEquals(List.of("<", "cat", ">"), t.encode("<cat>", false).tokens());
        // Hugging Face passes over a rejected match whole: "ab" at 1 is rejected (x before it), so
        // "b c", which overlaps it, is not found either.
        Tokenizer hf = words(null, new AddedToken("ab", 100, false, true, false, false, false), token("b c", 101));
        assertEquals(List.of("<unk>", "c"), hf.encode("xab c", false).tokens());
        assertEquals(List.of("x", "b c"), hf.encode("x b c", false).tokens());
    }

    @Test
    void lstripAndRstripTakeTheWhitespaceBesideTheToken() {
        AddedToken mask = new AddedToken("<mask>", 100, true, false, true, false, false);
        Encoding l = words(null, mask).encode("a  <mask> b", false);
        assertEquals(List.of("a", "<mask>", "b"), l.tokens());
        assertEquals(1, l.start(1), "lstrip: the token begins where the spaces before it begin");
        assertEquals(9, l.end(1));

        AddedToken maskR = new AddedToken("<mask>", 100, true, false, false, true, false);
        Encoding r = words(null, maskR).encode("a <mask> \n b", false);
        assertEquals(List.of("a", "<mask>", "b"), r.tokens());
        assertEquals(2, r.start(1));
        assertEquals(11, r.end(1), "rstrip: the token ends where the whitespace after it ends");
        assertArrayEquals(new int[] {1, 100}, words(null, maskR).encodeToIds("a <mask>  ", false));

        // lstrip stops at the previous token, which took that whitespace with its rstrip
        Tokenizer both = words(null, new AddedToken("<x>", 100, true, false, false, true, false),
                new AddedToken("<y>", 101, true, false, true, false, false));
        Encoding e = both.encode("<x>  <y>", false);
        assertEquals(List.of("<x>", "<y>"), e.tokens());
        assertArrayEquals(new int[] {0, 5}, new int[] {e.start(0), e.start(1)});
        assertArrayEquals(new int[] {5, 8}, new int[] {e.end(0), e.end(1)});
    }

    @Test
    void normalizedTokensAreMatchedInTheNormalizedTextAfterTheRawOnes() {
        Normalizer lower = Normalizer.lowercase();
        AddedToken hello = new AddedToken("Hello", 100, false, false, false, false, true);
        AddedToken sep = new AddedToken("<SEP>", 101, true, false, false, false, false);
        Tokenizer t = words(lower, hello, sep);
        // normalized=true: "Hello" is lowercased and found in the lowercased text, whatever the case
        Encoding enc = t.encode("say HELLO<SEP>hello", false);
        assertEquals(List.of("say", "Hello", "<SEP>", "Hello"), enc.tokens());
        assertArrayEquals(new int[] {4, 9}, new int[] {enc.start(1), enc.end(1)}, "offsets in the original text");
        assertArrayEquals(new int[] {14, 19}, new int[] {enc.start(3), enc.end(3)});
        // normalized=false: matched in the raw text only, so "<sep>" is text
        assertEquals(List.of("say", "<", "<unk>", ">"), t.encode("say <sep>", false).tokens());
        // two passes: the raw token "bc" is taken first, the normalized "abc" is then looked for in "a" only
        Tokenizer passes = words(null, token("bc", 100), new AddedToken("abc", 101, false, false, false, false, true));
        assertEquals(List.of("a", "bc"), passes.encode("abc", false).tokens());
        assertEquals(List.of("abc"), words(null, new AddedToken("abc", 101, false, false, false, false, true))
                .encode("abc", false).tokens());
        assertEquals(Map.of("Hello", 2, "<SEP>", 1), t.addedTokenCounts("say HELLO<SEP>hello <sep>"));
    }

    @Test
    void splitSpecialTokensEncodesSpecialTokensAsTextAndStillMatchesTheOthers() {
        Tokenizer bpe = TrainerTest.trainBpe(TrainerTest.corpus(3, 5_000), 320);
        int n = bpe.vocabSize();
        Tokenizer t = bpe.toBuilder().addedToken(special("<|end|>", n)).addedToken(token("<tool>", n + 1)).build();
        String text = "the king<|end|>the<tool> queen";
        int[] split = t.encodeToIds(text, false, true);
        int[] expected = concat(bpe.encodeOrdinary("the king<|end|>the"), new int[] {n + 1},
                bpe.encodeOrdinary(" queen"));
        assertArrayEquals(expected, split);
        assertArrayEquals(expected, t.encode(text, false, true).ids());
        assertTrue(Arrays.stream(t.encodeToIds(text, false)).anyMatch(id -> id == n), "matched by default");
        assertArrayEquals(bpe.encodeOrdinary(text), t.encodeOrdinary(text), "encodeOrdinary matches no added token");
        assertEquals(Map.of("<|end|>", 1, "<tool>", 1), t.addedTokenCounts(text));
    }

    private static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
    }

    // ------------------------------------------------------------ 6,000+ added tokens

    /** {@code <unused_0>..<unused_6099>} and some real ones, prefixes of each other among them. */
    static List<String> manyTokens() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 6100; i++) {
            out.add("<unused_" + i + ">");
        }
        out.addAll(List.of("<start_of_turn>", "<end_of_turn>", "<start_of_image>", "<|im_start|>", "<|im_end|>",
                "<|im", "<|endoftext|>", "[multimodal]", "<mask>", "\n\n", "\n\n\n", "    ", "<table>", "<td>", "</td>",
                "<unused_1"));
        return out;
    }

    static Tokenizer withTokens(Tokenizer base, List<String> contents, boolean normalized) {
        Tokenizer.Builder b = base.toBuilder();
        int id = base.vocabSize();
        for (String c : contents) {
            if (base.tokenToId(c).isEmpty()) {
                b.addedToken(new AddedToken(c, id++, c.startsWith("<"), false, false, false, normalized));
            }
        }
        return b.build();
    }

    /** The implementation this replaced: one regex alternation, longest first, plain text between matches. */
    static int[] regexReference(Tokenizer tok, String text) {
        Map<String, Integer> ids = new HashMap<>();
        tok.addedTokens().forEach(a -> ids.put(a.content(), a.id()));
        Pattern p = Pattern.compile(ids.keySet().stream()
                .sorted(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()))
                .map(Pattern::quote).collect(Collectors.joining("|")));
        List<int[]> parts = new ArrayList<>();
        Matcher m = p.matcher(text);
        int last = 0;
        while (m.find()) {
            parts.add(tok.encodeOrdinary(text.substring(last, m.start())));
            parts.add(new int[] {ids.get(m.group())});
            last = m.end();
        }
        parts.add(tok.encodeOrdinary(text.substring(last)));
        return concat(parts.toArray(new int[0][]));
    }

    /** Corpus words mixed with added tokens, their prefixes and near misses. */
    static String sprinkled(long seed, int pieces) {
        List<String> tokens = manyTokens();
        String[] misses = {"<unused_", "<unused_6100>", "<unused_-1>", "<unus", "<<unused_5>>", "<|im_sta", "<", "\n",
            "<unused_12", "<start_of_", "<|endoftext|", "   ", "<unused_00>"};
        Random r = new Random(seed);
        String words = TrainerTest.corpus(seed, pieces);
        StringBuilder sb = new StringBuilder();
        int w = 0;
        for (int i = 0; i < pieces; i++) {
            int k = r.nextInt(10);
            if (k < 2) {
                sb.append(tokens.get(r.nextInt(tokens.size())));
            } else if (k < 4) {
                sb.append(misses[r.nextInt(misses.length)]);
            } else {
                int end = Math.min(words.length(), w + 1 + r.nextInt(30));
                sb.append(words, w, end);
                w = end;
            }
        }
        return sb.toString();
    }

    @Test
    void sixThousandAddedTokensGiveTheIdsOfTheRegexAlternation() {
        Tokenizer bpe = TrainerTest.trainBpe(TrainerTest.corpus(4, 20_000), 400);
        Tokenizer many = withTokens(bpe, manyTokens(), false);
        assertTrue(many.addedTokens().size() > 6000);
        // normalized=true with no normalizer: the second pass sees the raw text; same ids
        Tokenizer manyNormalized = withTokens(bpe, manyTokens(), true);
        for (long seed = 0; seed < 5; seed++) {
            String text = sprinkled(seed, 2_000);
            int[] expected = regexReference(many, text);
            assertArrayEquals(expected, many.encodeToIds(text, false), "seed " + seed);
            assertArrayEquals(expected, many.encode(text, false).ids(), "seed " + seed + ", with offsets");
            assertArrayEquals(expected, manyNormalized.encodeToIds(text, false), "seed " + seed + ", normalized");
            assertEquals(text, many.decode(expected));
            assertArrayEquals(splitReference(many, bpe, text), many.encodeToIds(text, false, true),
                    "split special tokens, seed " + seed);
        }
    }

    /** Split special tokens: only the non-special added tokens are matched (by the regex reference). */
    private static int[] splitReference(Tokenizer many, Tokenizer bpe, String text) {
        Tokenizer.Builder b = bpe.toBuilder();
        many.addedTokens().stream().filter(a -> !a.special()).forEach(b::addedToken);
        return regexReference(b.build(), text);
    }

    @Test
    void gpt2WithSixThousandAddedTokensMatchesTheRegexAndSplitGivesEncodeOrdinary() throws Exception {
        Tokenizer gpt2 = Shared.gpt2();
        List<String> specials = manyTokens().stream().filter(c -> c.startsWith("<")).toList();
        Tokenizer many = withTokens(gpt2, specials, false);
        int n = 0;
        for (JsonNode c : Shared.gpt2Cases()) {
            String text = c.get("text").asText();
            int[] ordinary = Gpt2ExactnessTest.ints(c.get("ids"));
            assertArrayEquals(ordinary, many.encodeToIds(text, false, true), "split, case " + c.get("id"));
            assertArrayEquals(regexReference(many, text), many.encodeToIds(text, false), "matched, case " + c.get("id"));
            n++;
        }
        assertEquals(229, n);
        String text = sprinkled(7, 3_000);
        assertArrayEquals(regexReference(many, text), many.encodeToIds(text, false));
        assertArrayEquals(gpt2.encodeOrdinary(text), many.encodeToIds(text, false, true));
    }

    @Test
    void theMatcherResumesWhereItsSinkSays() {
        AddedTokenMatcher m = new AddedTokenMatcher(List.of("ab", "abc", "bcd", "d"),
                List.of(token("ab", 1), token("abc", 2), token("bcd", 3), token("d", 4)));
        List<String> found = new ArrayList<>();
        m.forEachMatch("xabcdabd", 0, 8, (s, e, t) -> {
            found.add(s + ":" + t.content());
            return e;
        });
        assertEquals(List.of("1:abc", "4:d", "5:ab", "7:d"), found);
        found.clear();
        m.forEachMatch("xabcdabd", 2, 7, (s, e, t) -> {
            found.add(s + ":" + t.content());
            return s + 1; // resume right after the start: overlapping matches
        });
        assertEquals(List.of("2:bcd", "4:d", "5:ab"), found, "the region's end bounds the matches");
        assertTrue(new AddedTokenMatcher(List.of(), List.of()).isEmpty());
    }
}
