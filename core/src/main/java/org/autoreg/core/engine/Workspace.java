package org.autoreg.core.engine;

import java.util.HashMap;
import java.util.Map;

/**
 * Scratch arrays shared by the layers of one model: layers run one after another, so a buffer
 * that only lives within one layer's forward or backward (an MLP's hidden gradient, attention's
 * q/k/v gradients) needs to exist once, not once per layer. Every request for a key must ask for
 * the same size (the layers of one model are alike).
 */
final class Workspace {
    private final Map<String, float[]> floats = new HashMap<>();
    private final Map<String, int[]> ints = new HashMap<>();
    private final Map<String, Object> objects = new HashMap<>();

    /** The shared float array {@code key}, at least n long. */
    float[] floats(String key, int n) {
        float[] a = floats.computeIfAbsent(key, k -> new float[n]);
        check(key, a.length, n);
        return a;
    }

    /** The shared int array {@code key}, at least n long. */
    int[] ints(String key, int n) {
        int[] a = ints.computeIfAbsent(key, k -> new int[n]);
        check(key, a.length, n);
        return a;
    }

    /** The shared object {@code key}, made by {@code make} on first request. */
    @SuppressWarnings("unchecked")
    <T> T object(String key, java.util.function.Supplier<T> make) {
        return (T) objects.computeIfAbsent(key, k -> make.get());
    }

    private static void check(String key, int have, int want) {
        if (have != want) {
            throw new IllegalStateException("workspace array " + key + " holds " + have + " values, asked for " + want);
        }
    }
}
