package org.autoreg.core.engine;

import java.util.ArrayList;
import java.util.List;
import org.autoreg.core.nn.Params;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A model's tensors as float arrays, in {@link Params} order: the parameters and, for training,
 * a gradient array of the same size beside each. Kernels are handed these arrays; they own none.
 */
final class Tensors {
    final List<String> names = new ArrayList<>();
    final List<long[]> shapes = new ArrayList<>();
    final float[][] params;
    final float[][] grads;   // null when not training

    Tensors(Params p, boolean withGrads) {
        int count = p.names().size();
        params = new float[count][];
        grads = withGrads ? new float[count][] : null;
        for (String name : p.names()) {
            INDArray a = p.get(name);
            int i = names.size();
            names.add(name);
            shapes.add(a.shape());
            params[i] = Params.floats(a);
            if (withGrads) {
                grads[i] = new float[params[i].length];
            }
        }
    }

    private int index(String name) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("the model has no parameter " + name);
        }
        return i;
    }

    /** The parameter {@code name} (an error if absent). */
    float[] p(String name) {
        return params[index(name)];
    }

    /** Its gradient, or null when not training. */
    float[] g(String name) {
        return grads == null ? null : grads[index(name)];
    }

    private final java.util.Map<String, Object> derived = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * A form of the weight {@code name} laid out for decoding (row arrays, a transposed copy),
     * made once by {@code make} and then shared by every decoder over these tensors.
     */
    @SuppressWarnings("unchecked")
    <T> T derived(String name, java.util.function.Supplier<T> make) {
        return (T) derived.computeIfAbsent(name, n -> make.get());
    }

    boolean has(String name) {
        return names.contains(name);
    }
}
