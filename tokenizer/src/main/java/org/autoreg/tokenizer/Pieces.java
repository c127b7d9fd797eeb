package org.autoreg.tokenizer;

import java.util.ArrayList;
import java.util.List;

/** The mutable token list an encoding is built in, before it becomes an {@link Encoding}. */
final class Pieces {
    final IntList ids = new IntList();
    final List<String> tokens = new ArrayList<>();
    final IntList starts = new IntList();
    final IntList ends = new IntList();
    final IntList special = new IntList();

    void add(int id, String token, int start, int end, boolean isSpecial) {
        ids.add(id);
        tokens.add(token);
        starts.add(start);
        ends.add(end);
        special.add(isSpecial ? 1 : 0);
    }

    int size() {
        return ids.size();
    }

    /** Keeps only tokens {@code [from, to)}. */
    Pieces slice(int from, int to) {
        Pieces p = new Pieces();
        for (int i = from; i < to; i++) {
            p.add(ids.get(i), tokens.get(i), starts.get(i), ends.get(i), special.get(i) == 1);
        }
        return p;
    }

    void addAll(Pieces other) {
        for (int i = 0; i < other.size(); i++) {
            add(other.ids.get(i), other.tokens.get(i), other.starts.get(i), other.ends.get(i), other.special.get(i) == 1);
        }
    }

    Encoding toEncoding(int truncated) {
        int n = size();
        int[] mask = new int[n];
        java.util.Arrays.fill(mask, 1);
        return new Encoding(ids.toArray(), tokens.toArray(new String[0]), starts.toArray(), ends.toArray(), mask,
                special.toArray(), truncated);
    }
}
