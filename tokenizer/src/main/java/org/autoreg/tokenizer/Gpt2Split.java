package org.autoreg.tokenizer;

import java.util.regex.Pattern;

/**
 * GPT-2's pre-tokenization pattern, hand-compiled:
 * <pre>'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+</pre>
 * with {@code \s} as Unicode White_Space (what the Rust regex crate under tiktoken and Hugging Face
 * tokenizers matches: U+0085 yes, U+FEFF no). {@link #PATTERN} is the same pattern as a
 * {@link Pattern}; a property test checks the two agree. The scanner is several times faster.
 */
final class Gpt2Split {
    /** The pattern as a java.util.regex, the specification the scanner is tested against. */
    static final String WHITE_SPACE_CLASS =
            "\\t\\n\\x0B\\f\\r \\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}";
    static final String REGEX = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^" + WHITE_SPACE_CLASS
            + "\\p{L}\\p{N}]+|[" + WHITE_SPACE_CLASS + "]+(?![^" + WHITE_SPACE_CLASS + "])|["
            + WHITE_SPACE_CLASS + "]+";
    static final Pattern PATTERN = Pattern.compile(REGEX);

    /** Receives one piece {@code [start, end)}. */
    interface SpanSink {
        void accept(int start, int end);
    }

    private static final int WS = 0;
    private static final int LETTER = 1;
    private static final int NUMBER = 2;
    private static final int OTHER = 3;

    private Gpt2Split() {
    }

    /** Unicode White_Space. */
    static boolean isWhiteSpace(int cp) {
        if (cp <= 0x20) {
            return cp == 0x20 || (cp >= 0x09 && cp <= 0x0D);
        }
        if (cp < 0x85) {
            return false;
        }
        return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028
                || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
    }

    static int classOf(int cp) {
        if (cp < 0x80) {
            if ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') {
                return LETTER;
            }
            if (cp >= '0' && cp <= '9') {
                return NUMBER;
            }
            return isWhiteSpace(cp) ? WS : OTHER;
        }
        if (isWhiteSpace(cp)) {
            return WS;
        }
        switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER:
            case Character.LOWERCASE_LETTER:
            case Character.TITLECASE_LETTER:
            case Character.MODIFIER_LETTER:
            case Character.OTHER_LETTER:
                return LETTER;
            case Character.DECIMAL_DIGIT_NUMBER:
            case Character.LETTER_NUMBER:
            case Character.OTHER_NUMBER:
                return NUMBER;
            default:
                return OTHER;
        }
    }

    private static int cpAt(CharSequence s, int i, int to) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c) && i + 1 < to) {
            char d = s.charAt(i + 1);
            if (Character.isLowSurrogate(d)) {
                return Character.toCodePoint(c, d);
            }
        }
        return c;
    }

    /** End of the run of code points of class {@code cls} starting at {@code i}. */
    private static int runEnd(CharSequence s, int i, int to, int cls) {
        while (i < to) {
            int cp = cpAt(s, i, to);
            if (classOf(cp) != cls) {
                break;
            }
            i += Character.charCount(cp);
        }
        return i;
    }

    /** Splits {@code s[from, to)} into GPT-2 pieces. */
    static void split(CharSequence s, int from, int to, SpanSink sink) {
        int i = from;
        while (i < to) {
            char c = s.charAt(i);
            // 's 't 're 've 'm 'll 'd
            if (c == '\'' && i + 1 < to) {
                int len = contraction(s, i + 1, to);
                if (len > 0) {
                    sink.accept(i, i + 1 + len);
                    i += 1 + len;
                    continue;
                }
            }
            int cp = cpAt(s, i, to);
            int cls = classOf(cp);
            if (cls != WS) {
                // \p{L}+ | \p{N}+ | [^\s\p{L}\p{N}]+
                int end = runEnd(s, i, to, cls);
                sink.accept(i, end);
                i = end;
                continue;
            }
            if (c == ' ' && i + 1 < to) {
                int next = cpAt(s, i + 1, to);
                int nextCls = classOf(next);
                if (nextCls != WS) {
                    // ' ?\p{L}+' etc. with the optional space
                    int end = runEnd(s, i + 1, to, nextCls);
                    sink.accept(i, end);
                    i = end;
                    continue;
                }
            }
            // \s+(?!\S) | \s+
            int end = runEnd(s, i, to, WS);
            if (end < to && end - i > 1) {
                // Followed by non-space: leave the last whitespace character for the next piece.
                // (White_Space characters are all in the BMP: one char each.)
                end--;
            }
            sink.accept(i, end);
            i = end;
        }
    }

    /** Length of a contraction suffix (s, t, re, ve, m, ll, d) at {@code i}, or 0. */
    private static int contraction(CharSequence s, int i, int to) {
        char a = s.charAt(i);
        switch (a) {
            case 's':
            case 't':
            case 'm':
            case 'd':
                return 1;
            case 'r':
            case 'v':
                return i + 1 < to && s.charAt(i + 1) == 'e' ? 2 : 0;
            case 'l':
                return i + 1 < to && s.charAt(i + 1) == 'l' ? 2 : 0;
            default:
                return 0;
        }
    }
}
