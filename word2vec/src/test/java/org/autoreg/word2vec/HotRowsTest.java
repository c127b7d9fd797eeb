package org.autoreg.word2vec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Two threads' private copies of rows 1–4 of a 6-row matrix: row 1 hot (every merge), rows 2–4 every 3rd merge. */
class HotRowsTest {
    private static final int SIZE = 2;

    @Test
    void hotRowsMergeEachTimeTheOthersEveryWarmEveryThAndBothThreadsChangesAdd() {
        float[] shared = {0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5};
        Word2Vec.HotRows a = new Word2Vec.HotRows(shared, 1, 4, SIZE, 1, 2, 3);
        Word2Vec.HotRows b = new Word2Vec.HotRows(shared, 1, 4, SIZE, 1, 2, 3);
        assertEquals(shared, a.array(0), "row 0 is shared");
        assertEquals(a.mine, a.array(1));
        assertEquals(0, a.offset(1));
        assertEquals(3 * SIZE, a.offset(4));
        assertEquals(5 * SIZE, a.offset(5), "row 5 is shared, at its own offset");

        a.mine[a.offset(1)] += 10;      // hot row 1
        a.mine[a.offset(3)] += 100;     // warm row 3
        b.mine[b.offset(1)] += 20;
        b.mine[b.offset(3)] += 200;
        a.merge();                      // 1st merge: hot rows only
        b.merge();
        assertEquals(31f, shared[1 * SIZE], "both threads' changes to the hot row add up");
        assertEquals(3f, shared[3 * SIZE], "warm rows wait");
        assertEquals(31f, b.mine[b.offset(1)], "b's copy of the hot row has a's change too");
        assertEquals(203f, b.mine[b.offset(3)], "b keeps its own unmerged change");

        a.merge();                      // 2nd
        b.merge();
        assertEquals(3f, shared[3 * SIZE]);
        a.merge();                      // 3rd: every row
        assertEquals(103f, shared[3 * SIZE], "a's warm change arrives at the 3rd merge");
        b.merge();
        assertEquals(303f, shared[3 * SIZE], "and b's adds to it, not over it");
        assertEquals(303f, b.mine[b.offset(3)]);
        assertArrayEquals(new float[] {0, 0, 31, 1, 2, 2, 303, 3, 4, 4, 5, 5}, shared, "nothing else moved");
    }
}
