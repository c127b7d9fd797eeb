package org.autoreg.tokenizer;

import java.util.Random;

/** Seeded generator of adversarial strings for property tests (whitespace kinds, marks, emoji, lone surrogates). */
final class RandomText {
    private static final String[] PARTS = {
        "a", "b", "Z", "hello", "world", "'s", "'t", "'re", "'ve", "'m", "'ll", "'d", "'", "''", "'S", "0", "42",
        "1234567", "½", "Ⅻ", " ", "  ", "   ", "\n", "\n\n", "\r\n", "\t", "\u000B", "\f", "\u0085", "\u00A0",
        "\u2003", "\u3000", "\u200B", "\uFEFF", "!", "?!", "...", "--", "@", "#", "$", "%", "(", ")", "é", "e\u0301",
        "ñ", "ß", "İ", "Σ", "日本語", "中", "한국어", "ᄀ", "ᅡ", "\uD83D\uDE00", "\uD83D\uDC4B", "\uD83D\uDC68\u200D\uD83D\uDC69",
        "\uD800", "\uDC00", "\uDBFF", "\uDFFF", "<|endoftext|>", "ﬁ", "Å", "\u0000", "\u007F", "\u0600", "٣",
    };

    private final Random random;

    RandomText(long seed) {
        random = new Random(seed);
    }

    String next(int maxParts) {
        int n = random.nextInt(maxParts + 1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (random.nextInt(8) == 0) {
                sb.append((char) random.nextInt(0x10000)); // any UTF-16 unit, surrogates included
            } else {
                sb.append(PARTS[random.nextInt(PARTS.length)]);
            }
        }
        return sb.toString();
    }
}
