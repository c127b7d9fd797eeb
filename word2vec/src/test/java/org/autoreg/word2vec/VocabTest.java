package org.autoreg.word2vec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class VocabTest {
    /** Most frequent first; equal counts in the order of first appearance (the Huffman tree's siblings). */
    @Test
    void equalCountsKeepTheirFirstAppearanceOrder() {
        List<List<String>> corpus = List.of(List.of("pear", "fig"), List.of("apple", "fig", "pear", "apple"),
                List.of("fig", "kiwi"));
        Vocab v = Vocab.build(corpus, 1);
        assertEquals(List.of("</s>", "fig", "pear", "apple", "kiwi"), v.words);
        assertEquals(List.of(3L, 3L, 2L, 2L, 1L), java.util.Arrays.stream(v.counts).boxed().toList());
    }
}
