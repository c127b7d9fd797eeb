package org.autoreg.tokenizer;

/**
 * GPT-2's reversible map between the 256 byte values and 256 printable unicode characters
 * ({@code bytes_to_unicode} in OpenAI's encoder.py): printable Latin-1 bytes map to themselves,
 * the others to U+0100 onwards, so a space becomes 'Ġ' (U+0120) and a newline 'Ċ' (U+010A).
 */
final class ByteLevelAlphabet {
    /** byte value → character. */
    static final char[] BYTE_TO_CHAR = new char[256];
    /** character → byte value, or -1; indexed up to U+0143. */
    static final short[] CHAR_TO_BYTE = new short[0x144];

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, (short) -1);
        int n = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) (256 + n++);
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = (short) b;
        }
    }

    private ByteLevelAlphabet() {
    }

    /** The byte a character stands for, or -1 if it is not one of the 256. */
    static int byteOf(int c) {
        return c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
    }

    /** Maps {@code s[from,to)} to its byte-level form (UTF-8 bytes, each as one character). */
    static String map(CharSequence s, int from, int to) {
        byte[] buf = new byte[Utf8.maxBytes(to - from)];
        int n = Utf8.encode(s, from, to, buf);
        char[] out = new char[n];
        for (int i = 0; i < n; i++) {
            out[i] = BYTE_TO_CHAR[buf[i] & 0xFF];
        }
        return new String(out);
    }
}
