package org.autoreg.tokenizer;

import java.util.List;
import java.util.Map;

/**
 * Fourth stage of the pipeline: adds special tokens around the encoded sequence, e.g.
 * {@code <s> $A </s>} (Hugging Face's {@code processors}). Runs only when special tokens are asked
 * for ({@link Tokenizer#encode(String, boolean)}).
 */
public sealed interface PostProcessor permits PostProcessors.Base {

    /** How many tokens this processor adds to a single sequence (truncation leaves room for them). */
    int addedTokens();

    /**
     * Hugging Face's TemplateProcessing for single sequences: {@code template} is space-separated
     * items, {@code $A} for the sequence and special token strings for the rest, e.g.
     * {@code "<s> $A </s>"}; {@code specialTokens} gives each special token's id.
     */
    static PostProcessor template(String template, Map<String, Integer> specialTokens) {
        return PostProcessors.Template.parse(template, specialTokens);
    }

    /** GPT-2's ByteLevel processor: with {@code trimOffsets}, token offsets exclude the leading space. */
    static PostProcessor byteLevel(boolean trimOffsets) {
        return new PostProcessors.ByteLevel(trimOffsets, false);
    }

    /** Applies {@code processors} in order. */
    static PostProcessor sequence(List<PostProcessor> processors) {
        return new PostProcessors.Sequence(processors);
    }
}
