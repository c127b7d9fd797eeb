package org.autoreg.tokenizer;

/**
 * A token added on top of the model's vocabulary, matched in the raw text before the pipeline runs
 * and never split (Hugging Face's AddedToken). Special tokens ({@code <|endoftext|>}, {@code <s>},
 * {@code [PAD]}) are added tokens with {@code special} set: {@link Tokenizer#decode(int[], boolean)}
 * can skip them.
 *
 * @param content    the token text
 * @param id         its id
 * @param special    whether it is a special (control) token
 * @param singleWord match only where it is not part of a longer word
 * @param lstrip     also consume whitespace on its left
 * @param rstrip     also consume whitespace on its right
 * @param normalized kept for tokenizer.json round-trips; autoreg always matches added tokens in the raw text
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
