package org.autoreg.core.nn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.autoreg.core.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A model's parameters: named arrays in creation order, created on first request with a
 * deterministic initializer and shared by every graph built over them (training, evaluation,
 * inference), so an optimizer updating an array in place updates the model everywhere.
 */
public final class Params {
    private final Map<String, INDArray> arrays = new LinkedHashMap<>();
    private final DataType dtype;
    private final Rng rng;

    /** Empty parameters of {@code dtype}; new ones are initialized from {@code seed}. */
    public Params(DataType dtype, long seed) {
        if (!dtype.isFPType()) {
            throw new IllegalArgumentException("parameters must be floating point, not " + dtype);
        }
        this.dtype = dtype;
        this.rng = new Rng(seed);
    }

    public DataType dtype() {
        return dtype;
    }

    /**
     * The array called {@code name}: created with {@code init} on first request, afterwards the
     * same array (whose shape must then match).
     */
    public INDArray getOrCreate(String name, long[] shape, Init init) {
        INDArray existing = arrays.get(name);
        if (existing != null) {
            if (!java.util.Arrays.equals(existing.shape(), shape)) {
                throw new IllegalArgumentException("parameter " + name + " has shape "
                        + java.util.Arrays.toString(existing.shape()) + ", but " + java.util.Arrays.toString(shape)
                        + " was asked for");
            }
            return existing;
        }
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        double[] values = new double[Math.toIntExact(n)];
        init.fill(values, rng);
        INDArray arr = Nd4j.create(values, shape, DataType.DOUBLE).castTo(dtype);
        arrays.put(name, arr);
        return arr;
    }

    /** Adds (or replaces) a loaded array. */
    public void put(String name, INDArray value) {
        if (value.dataType() != dtype) {
            throw new IllegalArgumentException("parameter " + name + " is " + value.dataType() + ", expected " + dtype);
        }
        arrays.put(name, value);
    }

    /** The array called {@code name}, or an error naming it. */
    public INDArray get(String name) {
        INDArray a = arrays.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no parameter named " + name);
        }
        return a;
    }

    public boolean contains(String name) {
        return arrays.containsKey(name);
    }

    /** Names in creation order. */
    public List<String> names() {
        return List.copyOf(arrays.keySet());
    }

    /** Read-only view, in creation order. */
    public Map<String, INDArray> asMap() {
        return Collections.unmodifiableMap(arrays);
    }

    /** Total number of scalars. */
    public long count() {
        return arrays.values().stream().mapToLong(INDArray::length).sum();
    }

    /** The values of {@code a} as a row-major float array (a copy). */
    public static float[] floats(INDArray a) {
        return a.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    /** A deep copy in {@code dtype}. */
    public Params copy(DataType dtype) {
        Params p = new Params(dtype, 0);
        arrays.forEach((k, v) -> p.arrays.put(k, v.castTo(dtype).dup()));
        return p;
    }
}
