package org.autoreg.generate;

import java.util.List;

/**
 * The text of one sequence as it streams: finds stop strings (which are not emitted) and holds
 * back a tail that could still become one, so a streamed delta never shows part of a stop string.
 */
final class StopText {
    private final List<String> stops;
    private final int longest;
    private final StringBuilder text = new StringBuilder();
    private int emitted;
    private boolean stopped;

    StopText(List<String> stops) {
        this.stops = stops;
        this.longest = stops.stream().mapToInt(String::length).max().orElse(0);
    }

    /**
     * Appends newly decoded text; returns the part that may be shown now (possibly empty). After a
     * stop string appears, {@link #stopped()} is true and the text ends before it.
     */
    String add(String delta) {
        if (stopped || delta.isEmpty()) {
            return "";
        }
        int from = Math.max(0, text.length() - longest + 1);
        text.append(delta);
        int at = -1;
        for (String s : stops) {
            int i = text.indexOf(s, from);
            if (i >= 0 && (at < 0 || i < at)) {
                at = i;
            }
        }
        if (at >= 0) {
            text.setLength(at);
            stopped = true;
            return take(text.length());
        }
        return take(text.length() - heldBack());
    }

    /** The rest of the text at the end of the sequence (the held-back tail, then {@code last}). */
    String finish(String last) {
        String d = add(last);
        return stopped ? d : d + take(text.length());
    }

    boolean stopped() {
        return stopped;
    }

    /** Everything kept so far (without a stop string). */
    String text() {
        return text.toString();
    }

    /** Length of the longest suffix of the text that is a proper prefix of a stop string. */
    private int heldBack() {
        int best = 0;
        for (String s : stops) {
            for (int k = Math.min(s.length() - 1, text.length()); k > best; k--) {
                if (endsWithPrefix(s, k)) {
                    best = k;
                    break;
                }
            }
        }
        return best;
    }

    private boolean endsWithPrefix(String s, int k) {
        int off = text.length() - k;
        for (int i = 0; i < k; i++) {
            if (text.charAt(off + i) != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private String take(int upTo) {
        if (upTo <= emitted) {
            return "";
        }
        String d = text.substring(emitted, upTo);
        emitted = upTo;
        return d;
    }
}
