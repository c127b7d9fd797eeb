package org.autoreg.tokenizer;

/**
 * UTF-8 encoding and lenient decoding that round-trips every Java {@code String}.
 *
 * <p>A Java string may hold lone surrogates (invalid UTF-16). {@link #encode} writes such a
 * surrogate as its three-byte generalized UTF-8 form (WTF-8, as Python's {@code surrogatepass}
 * does) instead of replacing it, and {@link #decode} turns those three bytes back into the lone
 * surrogate, so {@code decode(encode(s)).equals(s)} for every string. Byte sequences that are not
 * UTF-8 at all (a model may emit half a character) decode to U+FFFD, one per maximal invalid
 * subsequence, like Rust's {@code String::from_utf8_lossy} used by Hugging Face tokenizers.
 */
final class Utf8 {
    private Utf8() {
    }

    /** Number of bytes {@link #encode} writes for code point {@code cp} (surrogates: 3). */
    static int length(int cp) {
        if (cp < 0x80) {
            return 1;
        } else if (cp < 0x800) {
            return 2;
        } else if (cp < 0x10000) {
            return 3;
        }
        return 4;
    }

    /** Encodes {@code s[from, to)}; returns the number of bytes written into {@code out}. */
    static int encode(CharSequence s, int from, int to, byte[] out) {
        return encode(s, from, to, out, 0);
    }

    /** Encodes {@code s[from, to)} into {@code out} from {@code at}; returns the position after the last byte. */
    static int encode(CharSequence s, int from, int to, byte[] out, int at) {
        int n = at;
        for (int i = from; i < to; ) {
            char c = s.charAt(i);
            int cp = c;
            if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
                cp = Character.toCodePoint(c, s.charAt(i + 1));
                i += 2;
            } else {
                i += 1;
            }
            n = put(cp, out, n);
        }
        return n;
    }

    /** Upper bound of the encoded length of {@code to - from} chars. */
    static int maxBytes(int chars) {
        return chars * 3;
    }

    static byte[] encode(String s) {
        byte[] buf = new byte[maxBytes(s.length())];
        int n = encode(s, 0, s.length(), buf);
        return java.util.Arrays.copyOf(buf, n);
    }

    private static int put(int cp, byte[] out, int n) {
        if (cp < 0x80) {
            out[n++] = (byte) cp;
        } else if (cp < 0x800) {
            out[n++] = (byte) (0xC0 | (cp >> 6));
            out[n++] = (byte) (0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out[n++] = (byte) (0xE0 | (cp >> 12));
            out[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            out[n++] = (byte) (0x80 | (cp & 0x3F));
        } else {
            out[n++] = (byte) (0xF0 | (cp >> 18));
            out[n++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
            out[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            out[n++] = (byte) (0x80 | (cp & 0x3F));
        }
        return n;
    }

    /** Decodes {@code bytes[0, length)} leniently (see the class comment). */
    static String decode(byte[] bytes, int length) {
        StringBuilder sb = new StringBuilder(length);
        int i = 0;
        while (i < length) {
            int consumed = decodeOne(bytes, i, length, sb);
            i += consumed;
        }
        return sb.toString();
    }

    /**
     * Length of the longest prefix of {@code bytes[0, length)} that does not end inside a
     * character which more bytes could still complete: what a stream decoder may emit now.
     */
    static int completePrefix(byte[] bytes, int length) {
        // Look back at most 3 bytes for the start of an unfinished sequence.
        for (int back = 1; back <= Math.min(3, length); back++) {
            int b = bytes[length - back] & 0xFF;
            if (b < 0x80) {
                return length;
            }
            if (b >= 0xC0) {
                int need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
                if (b > 0xF4) {
                    return length;
                }
                return back < need && validSoFar(bytes, length - back, length) ? length - back : length;
            }
        }
        return length;
    }

    private static boolean validSoFar(byte[] bytes, int from, int to) {
        int lead = bytes[from] & 0xFF;
        for (int k = from + 1; k < to; k++) {
            int b = bytes[k] & 0xFF;
            if (!inRange(lead, k - from, b)) {
                return false;
            }
        }
        return true;
    }

    /** Whether byte {@code b} may stand at position {@code pos} (1-based) after lead {@code lead}. */
    private static boolean inRange(int lead, int pos, int b) {
        if (pos == 1) {
            int lo = 0x80;
            int hi = 0xBF;
            if (lead == 0xE0) {
                lo = 0xA0;
            } else if (lead == 0xF0) {
                lo = 0x90;
            } else if (lead == 0xF4) {
                hi = 0x8F;
            }
            // 0xED followed by A0..BF is a surrogate: accepted (WTF-8).
            return b >= lo && b <= hi;
        }
        return b >= 0x80 && b <= 0xBF;
    }

    private static int decodeOne(byte[] bytes, int i, int length, StringBuilder sb) {
        int lead = bytes[i] & 0xFF;
        if (lead < 0x80) {
            sb.append((char) lead);
            return 1;
        }
        int need;
        int cp;
        if (lead >= 0xC2 && lead <= 0xDF) {
            need = 2;
            cp = lead & 0x1F;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            need = 3;
            cp = lead & 0x0F;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            need = 4;
            cp = lead & 0x07;
        } else {
            sb.append('\uFFFD');
            return 1;
        }
        int k = 1;
        while (k < need) {
            if (i + k >= length || !inRange(lead, k, bytes[i + k] & 0xFF)) {
                sb.append('\uFFFD');
                return k;
            }
            cp = (cp << 6) | (bytes[i + k] & 0x3F);
            k++;
        }
        sb.appendCodePoint(cp);
        return need;
    }
}
