package org.autoreg.tokenizer;

/**
 * Text being normalized, with the span of the original input each of its chars came from, so
 * that token offsets can point into the text the user passed (Hugging Face's NormalizedString).
 */
final class Aligned {
    final StringBuilder text;
    final IntList start;
    final IntList end;

    Aligned(int capacity) {
        text = new StringBuilder(capacity);
        start = new IntList(capacity);
        end = new IntList(capacity);
    }

    /** {@code s} aligned to itself, shifted by {@code offset}. */
    static Aligned of(String s, int offset) {
        Aligned a = new Aligned(s.length());
        a.text.append(s);
        for (int i = 0; i < s.length(); i++) {
            a.start.add(offset + i);
            a.end.add(offset + i + 1);
        }
        return a;
    }

    int length() {
        return text.length();
    }

    /** Appends {@code chars}, each aligned to the original span {@code [from, to)}. */
    void append(CharSequence chars, int from, int to) {
        text.append(chars);
        for (int k = 0; k < chars.length(); k++) {
            start.add(from);
            end.add(to);
        }
    }

    /** Appends {@code src} chars {@code [i, j)} with their alignment. */
    void copy(Aligned src, int i, int j) {
        text.append(src.text, i, j);
        for (int k = i; k < j; k++) {
            start.add(src.start.get(k));
            end.add(src.end.get(k));
        }
    }

    /** Original span start of the chars {@code [i, j)}. */
    int originalStart(int i, int j) {
        if (i < length()) {
            return start.get(i);
        }
        return length() == 0 ? 0 : end.get(length() - 1);
    }

    /** Original span end of the chars {@code [i, j)}. */
    int originalEnd(int i, int j) {
        if (j > i) {
            return end.get(j - 1);
        }
        return originalStart(i, j);
    }
}
