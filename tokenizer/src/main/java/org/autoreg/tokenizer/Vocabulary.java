package org.autoreg.tokenizer;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A model's token ↔ id table and the {@link Model} methods that only read it; the models extend
 * this. Ids must be unique and non-negative; gaps are allowed (added tokens may fill them).
 */
abstract sealed class Vocabulary implements Model permits Bpe, WordLevel {
    /** Sanity bound on ids, far above any real vocabulary. */
    private static final int MAX_ID = 16_000_000;

    /** Token → id, in id order. */
    final Map<String, Integer> vocab;
    /** Id → token; null where an id is unused. */
    final String[] idToToken;

    Vocabulary(Map<String, Integer> vocab, String what) {
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
        Map<String, Integer> ordered = new LinkedHashMap<>(tokens.length * 2);
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] != null) {
                ordered.put(tokens[i], i);
            }
        }
        this.idToToken = tokens;
        this.vocab = Collections.unmodifiableMap(ordered);
    }

    /** The id of {@code unkToken}, -1 if it is null; an error if it is not in the vocabulary. */
    final int unkId(String unkToken, String what) {
        if (unkToken == null) {
            return -1;
        }
        Integer id = vocab.get(unkToken);
        if (id == null) {
            throw new IllegalArgumentException(what + " model: unk_token '" + unkToken + "' is not in the vocabulary; "
                    + "add it to the vocabulary or remove unk_token");
        }
        return id;
    }

    @Override
    public final OptionalInt tokenToId(String token) {
        Integer id = vocab.get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** The token of {@code id}, or null if {@code id} is in range but unused. */
    @Override
    public final String idToToken(int id) {
        if (id < 0 || id >= idToToken.length) {
            throw new IllegalArgumentException("token id " + id + " is outside the vocabulary (0.."
                    + (idToToken.length - 1) + ")");
        }
        return idToToken[id];
    }

    @Override
    public final int vocabSize() {
        return idToToken.length;
    }

    @Override
    public final Map<String, Integer> vocab() {
        return vocab;
    }

    /** Tokens of packed {@code [ids..., ends...]}, with starts from the previous end. */
    final List<Token> tokens(int[] packed) {
        int n = packed.length / 2;
        Token[] out = new Token[n];
        for (int k = 0; k < n; k++) {
            out[k] = new Token(packed[k], idToToken[packed[k]], k == 0 ? 0 : packed[n + k - 1], packed[n + k]);
        }
        return List.of(out);
    }
}
