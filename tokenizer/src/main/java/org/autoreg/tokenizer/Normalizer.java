package org.autoreg.tokenizer;

import java.util.List;

/**
 * First stage of the pipeline: cleans the text before it is split (Hugging Face's
 * {@code normalizers}). Normalizers keep track of where each output char came from, so token
 * offsets always refer to the text the caller passed.
 */
public sealed interface Normalizer permits Normalizers.Base {

    /** The normalized form of {@code text}. */
    String normalize(String text);

    /** Lowercases each character (locale-independent, like Rust's {@code char::to_lowercase}). */
    static Normalizer lowercase() {
        return new Normalizers.Lowercase();
    }

    /** Unicode normalization form NFC. */
    static Normalizer nfc() {
        return new Normalizers.Unicode(java.text.Normalizer.Form.NFC);
    }

    /** Unicode normalization form NFD. */
    static Normalizer nfd() {
        return new Normalizers.Unicode(java.text.Normalizer.Form.NFD);
    }

    /** Unicode normalization form NFKC. */
    static Normalizer nfkc() {
        return new Normalizers.Unicode(java.text.Normalizer.Form.NFKC);
    }

    /** Unicode normalization form NFKD (compatibility decomposition: "ﬁ" → "fi", "é" → "e" + U+0301). */
    static Normalizer nfkd() {
        return new Normalizers.Unicode(java.text.Normalizer.Form.NFKD);
    }

    /** Removes combining marks (category Mn); use after {@link #nfd()} or {@link #nfkd()} to strip accents. */
    static Normalizer stripAccents() {
        return new Normalizers.StripAccents();
    }

    /** Removes leading and/or trailing whitespace. */
    static Normalizer strip(boolean left, boolean right) {
        return new Normalizers.Strip(left, right);
    }

    /** Replaces every occurrence of the literal {@code pattern} with {@code content}. */
    static Normalizer replace(String pattern, String content) {
        return new Normalizers.Replace(pattern, false, content);
    }

    /** Replaces every match of the regular expression {@code regex} with {@code content}. */
    static Normalizer replaceRegex(String regex, String content) {
        return new Normalizers.Replace(regex, true, content);
    }

    /** Prepends {@code prefix} to non-empty text. */
    static Normalizer prepend(String prefix) {
        return new Normalizers.Prepend(prefix);
    }

    /** Applies {@code normalizers} in order. */
    static Normalizer sequence(List<Normalizer> normalizers) {
        return new Normalizers.Sequence(normalizers);
    }
}
