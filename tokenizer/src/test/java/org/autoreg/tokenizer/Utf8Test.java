package org.autoreg.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8Test {

    @Test
    void validTextEncodesLikeTheJdk() {
        RandomText gen = new RandomText(7);
        for (int i = 0; i < 5_000; i++) {
            String s = gen.next(10);
            boolean valid = s.codePoints().noneMatch(cp -> cp >= 0xD800 && cp <= 0xDFFF);
            if (valid) {
                assertArrayEquals(s.getBytes(StandardCharsets.UTF_8), Utf8.encode(s));
            }
        }
    }

    @Test
    void everyStringRoundTripsLoneSurrogatesIncluded() {
        RandomText gen = new RandomText(8);
        for (int i = 0; i < 5_000; i++) {
            String s = gen.next(10);
            byte[] b = Utf8.encode(s);
            assertEquals(s, Utf8.decode(b, b.length), Gpt2SplitTest.escape(s));
        }
        byte[] lone = Utf8.encode("\uD83D");
        assertArrayEquals(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0xBD}, lone, "WTF-8 form of a lone high surrogate");
    }

    @Test
    void invalidBytesBecomeReplacementCharacters() {
        byte[] half = {'a', (byte) 0xF0, (byte) 0x9F, (byte) 0x98};
        assertEquals("a\uFFFD", Utf8.decode(half, half.length), "a truncated emoji is one U+FFFD");
        byte[] junk = {(byte) 0xFF, 'b', (byte) 0xC0, (byte) 0x80};
        assertEquals("\uFFFDb\uFFFD\uFFFD", Utf8.decode(junk, junk.length));
    }

    @Test
    void completePrefixHoldsBackAnUnfinishedCharacter() {
        byte[] emoji = "x\uD83D\uDE00".getBytes(StandardCharsets.UTF_8);
        for (int n = 2; n < emoji.length; n++) {
            assertEquals(1, Utf8.completePrefix(emoji, n), "prefix of " + n + " bytes");
        }
        assertEquals(emoji.length, Utf8.completePrefix(emoji, emoji.length));
    }
}
