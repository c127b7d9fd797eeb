package org.autoreg.tokenizer;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Checks and inverts token → id maps. */
final class Vocabularies {
    /** Sanity bound on ids, far above any real vocabulary. */
    private static final int MAX_ID = 16_000_000;

    private Vocabularies() {
    }

    /** The id → token array of {@code vocab} (null where an id is unused); ids must be unique. */
    static String[] invert(Map<String, Integer> vocab, String what) {
        if (vocab.isEmpty()) {
            throw new IllegalArgumentException(what + " model: the vocabulary is empty");
        }
        int max = -1;
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            Integer id = e.getValue();
            if (id == null || id < 0 || id > MAX_ID) {
                throw new IllegalArgumentException(what + " model: token '" + e.getKey() + "' has id " + id
                        + "; ids must be between 0 and " + MAX_ID);
            }
            max = Math.max(max, id);
        }
        String[] tokens = new String[max + 1];
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            int id = e.getValue();
            if (tokens[id] != null) {
                throw new IllegalArgumentException(what + " model: tokens '" + tokens[id] + "' and '" + e.getKey()
                        + "' share id " + id + "; each id must belong to one token");
            }
            tokens[id] = e.getKey();
        }
        return tokens;
    }

    static Map<String, Integer> inIdOrder(String[] tokens) {
        Map<String, Integer> m = new LinkedHashMap<>(tokens.length * 2);
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] != null) {
                m.put(tokens[i], i);
            }
        }
        return Collections.unmodifiableMap(m);
    }

    /** The token of {@code id}, or null if {@code id} is in range but unused. */
    static String token(String[] tokens, int id) {
        if (id < 0 || id >= tokens.length) {
            throw new IllegalArgumentException("token id " + id + " is outside the vocabulary (0.." + (tokens.length - 1)
                    + ")");
        }
        return tokens[id];
    }
}
