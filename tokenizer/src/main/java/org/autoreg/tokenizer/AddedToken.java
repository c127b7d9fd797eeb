package org.autoreg.tokenizer;

/**
 * A token added on top of the model's vocabulary, matched in the text before the pre-tokenizer
 * runs and never split (Hugging Face's AddedToken; the matching rules are on
 * {@link Tokenizer#encode(String, boolean, boolean)}). Special tokens ({@code <|endoftext|>},
 * {@code <s>}, {@code [PAD]}) are added tokens with {@code special} set:
 * {@link Tokenizer#decode(int[], boolean)} can skip them, and {@code splitSpecialTokens} encodes
 * them as plain text.
 *
 * @param content    the token text
 * @param id         its id
 * @param special    whether it is a special (control) token
 * @param singleWord match only where no word character ({@code \w}) touches it on either side
 * @param lstrip     also consume whitespace on its left
 * @param rstrip     also consume whitespace on its right
 * @param normalized match the normalized content in the normalized text (after the tokens with
 *                   {@code normalized} false were matched in the raw text), as Hugging Face
 */
public record AddedToken(String content, int id, boolean special, boolean singleWord, boolean lstrip, boolean rstrip,
        boolean normalized) {

    public AddedToken {
        if (content == null || content.isEmpty()) {
            throw new IllegalArgumentException("an added token needs non-empty content");
        }
        if (id < 0) {
            throw new IllegalArgumentException("added token '" + content + "' has negative id " + id);
        }
    }

    /** A special token with default matching rules. */
    public static AddedToken special(String content, int id) {
        return new AddedToken(content, id, true, false, false, false, false);
    }
}
