package org.autoreg.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StopTextTest {
    @Test
    void holdsBackAPossibleStopStringAndDropsIt() {
        StopText t = new StopText(List.of("END"));
        assertEquals("ab", t.add("abE"));
        assertEquals("", t.add("N"));
        assertEquals("", t.add("Dxyz"));
        assertTrue(t.stopped());
        assertEquals("ab", t.text());
    }

    @Test
    void releasesTheTailWhenItDoesNotBecomeAStopString() {
        StopText t = new StopText(List.of("END", "\n\n"));
        assertEquals("x", t.add("xE"));
        assertEquals("EN", t.add("Nq").substring(0, 2));
        assertFalse(t.stopped());
        assertEquals("", t.add("\n"));
        assertEquals("\n", t.finish(""));
        assertEquals("xENq\n", t.text());
    }

    @Test
    void theEarliestStopWins() {
        StopText t = new StopText(List.of("cd", "b"));
        assertEquals("a", t.add("abcd"));
        assertEquals("a", t.text());
    }
}
