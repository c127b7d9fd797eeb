package org.autoreg.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;

/** The hand-compiled GPT-2 pre-tokenizer agrees with the regular expression it implements. */
class Gpt2SplitTest {

    private static List<String> scanner(String s) {
        List<String> out = new ArrayList<>();
        Gpt2Split.split(s, 0, s.length(), (a, b) -> out.add(s.substring(a, b)));
        return out;
    }

    private static List<String> regex(String s) {
        List<String> out = new ArrayList<>();
        Matcher m = Gpt2Split.PATTERN.matcher(s);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    @Test
    void knownSplits() {
        assertEquals(List.of("Hello", ",", " world", "!"), scanner("Hello, world!"));
        assertEquals(List.of("I", "'m", " here", "'s", " it"), scanner("I'm here's it"));
        assertEquals(List.of("a", "  ", " b"), scanner("a   b"));
        assertEquals(List.of("a", "\n", "b"), scanner("a\nb"));
        assertEquals(List.of("x", "  "), scanner("x  "));
        assertEquals(List.of(" 123", "abc"), scanner(" 123abc"));
        assertEquals(List.of("!'", "s"), scanner("!'s"));
        assertEquals(List.of(" '", "s"), scanner(" 's"));
    }

    @Test
    void scannerEqualsRegexOnTenThousandRandomStrings() {
        RandomText gen = new RandomText(20261122);
        for (int i = 0; i < 10_000; i++) {
            String s = gen.next(12);
            assertEquals(regex(s), scanner(s), () -> "input " + escape(s));
        }
    }

    @Test
    void scannerEqualsRegexOnEveryBmpCharacterInContext() {
        for (int c = 0; c < 0x10000; c++) {
            String s = "a" + (char) c + " " + (char) c + (char) c + "1" + (char) c;
            assertEquals(regex(s), scanner(s), "U+" + Integer.toHexString(c));
        }
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        s.chars().forEach(c -> sb.append(c >= 0x20 && c < 0x7F ? String.valueOf((char) c) : String.format("\\u%04X", c)));
        return sb.toString();
    }
}
