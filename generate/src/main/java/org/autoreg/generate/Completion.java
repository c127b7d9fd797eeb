package org.autoreg.generate;

/**
 * One generated continuation.
 *
 * @param text         the new text (never the prompt; without the EOS token or stop string that ended it)
 * @param tokenIds     the new token ids (without a final EOS token)
 * @param finishReason why generation ended
 * @param promptTokens how many tokens the prompt had
 * @param logprobs     each new token's log-probability (and alternatives) when they were asked for, else empty
 */
public record Completion(String text, int[] tokenIds, FinishReason finishReason, int promptTokens,
        java.util.List<TokenLogprob> logprobs) {

    /** Why a sequence ended (OpenAI's {@code finish_reason}). */
    public enum FinishReason {
        /** An EOS token or a stop string. */
        STOP,
        /** max_new_tokens (or max_length) was reached. */
        LENGTH;

        /** The OpenAI spelling: {@code stop} or {@code length}. */
        public String openAiName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Completion {
        tokenIds = tokenIds.clone();
        logprobs = java.util.List.copyOf(logprobs);
    }

    /** A completion without logprobs. */
    public Completion(String text, int[] tokenIds, FinishReason finishReason, int promptTokens) {
        this(text, tokenIds, finishReason, promptTokens, java.util.List.of());
    }

    @Override
    public int[] tokenIds() {
        return tokenIds.clone();
    }

    /** Number of new tokens. */
    public int completionTokens() {
        return tokenIds.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Completion c && text.equals(c.text) && java.util.Arrays.equals(tokenIds, c.tokenIds)
                && finishReason == c.finishReason && promptTokens == c.promptTokens && logprobs.equals(c.logprobs);
    }

    @Override
    public int hashCode() {
        return text.hashCode() * 31 + java.util.Arrays.hashCode(tokenIds);
    }

    @Override
    public String toString() {
        return "Completion[" + finishReason + ", " + tokenIds.length + " tokens: " + text + "]";
    }
}
