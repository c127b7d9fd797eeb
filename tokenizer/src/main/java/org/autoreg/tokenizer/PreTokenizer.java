package org.autoreg.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * Second stage of the pipeline: splits normalized text into the pieces the model tokenizes
 * independently (Hugging Face's {@code pre_tokenizers}). No token ever crosses a piece boundary.
 */
public sealed interface PreTokenizer permits PreTokenizers.Base {

    /** How a {@link #split} pre-tokenizer treats the matched delimiter (Hugging Face's SplitDelimiterBehavior). */
    enum Behavior {
        /** Drop the delimiter. */
        REMOVED,
        /** Keep the delimiter as its own piece. */
        ISOLATED,
        /** Append the delimiter to the piece before it. */
        MERGED_WITH_PREVIOUS,
        /** Prepend the delimiter to the piece after it. */
        MERGED_WITH_NEXT,
        /** Keep consecutive delimiters together as one piece. */
        CONTIGUOUS
    }

    /** Splits {@code text} (already normalized) into pieces. */
    default List<PreToken> preTokenize(String text) {
        List<PreToken> out = new ArrayList<>();
        ((PreTokenizers.Base) this).split(text, 0, text.length(), (source, from, to, shift, byteLevel) -> {
            String piece = byteLevel ? ByteLevelAlphabet.map(source, from, to) : source.subSequence(from, to).toString();
            out.add(new PreToken(piece, Math.max(0, from - shift), Math.min(text.length(), to - shift)));
        });
        return out;
    }

    /**
     * GPT-2's byte-level pre-tokenizer: the GPT-2 regex split (if {@code useRegex}) and the
     * byte-to-unicode mapping of each piece; {@code addPrefixSpace} adds a space before text that
     * does not start with one (RoBERTa), so the first word is tokenized like any other.
     */
    static PreTokenizer byteLevel(boolean addPrefixSpace, boolean useRegex) {
        return new PreTokenizers.ByteLevel(addPrefixSpace, useRegex);
    }

    /** Byte-level as GPT-2 uses it: regex split, no prefix space. */
    static PreTokenizer byteLevel() {
        return byteLevel(false, true);
    }

    /** Words and punctuation runs: the pieces are the matches of {@code \w+|[^\w\s]+}. */
    static PreTokenizer whitespace() {
        return new PreTokenizers.Split("\\w+|[^\\w\\s]+", true, Behavior.REMOVED, true, "Whitespace");
    }

    /** Splits on whitespace only. */
    static PreTokenizer whitespaceSplit() {
        return new PreTokenizers.Split("\\s+", true, Behavior.REMOVED, false, "WhitespaceSplit");
    }

    /** Splits on a literal or regular-expression delimiter; {@code invert} makes the matches the pieces. */
    static PreTokenizer split(String pattern, boolean regex, Behavior behavior, boolean invert) {
        return new PreTokenizers.Split(pattern, regex, behavior, invert, "Split");
    }

    /** Isolates digits: each digit on its own if {@code individualDigits}, else runs of digits. */
    static PreTokenizer digits(boolean individualDigits) {
        return new PreTokenizers.Split(individualDigits ? "\\p{N}" : "\\p{N}+", true, Behavior.ISOLATED, false,
                individualDigits ? "Digits:individual" : "Digits");
    }

    /** Isolates each punctuation character. */
    static PreTokenizer punctuation() {
        return new PreTokenizers.Split("\\p{P}", true, Behavior.ISOLATED, false, "Punctuation");
    }

    /** Applies {@code preTokenizers} in order, each splitting the pieces of the one before. */
    static PreTokenizer sequence(List<PreTokenizer> preTokenizers) {
        return new PreTokenizers.Sequence(preTokenizers);
    }
}
