package org.autoreg.core.nn;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.autoreg.core.Rng;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A SameDiff graph being built over a set of {@link Params}: the context every building block
 * takes. {@link #param} makes a parameter a graph variable backed by the shared array. In a
 * training graph, {@link #dropout} adds mask inputs that {@link #dropoutMasks} fills from a
 * seeded {@link Rng}, so dropout is reproducible and resumable (ND4J's own dropout draws from a
 * global generator).
 */
public final class Graph {
    /** Serializes the stdout redirection of {@link #createGradients}. */
    private static final Object STDOUT_LOCK = new Object();

    private final SameDiff sd;
    private final Params params;
    private final boolean training;
    private final List<Mask> masks = new ArrayList<>();

    /** A dropout mask input: its placeholder name, shape and drop probability. */
    private record Mask(String name, long[] shape, double p) {
    }

    public Graph(Params params, boolean training) {
        this.sd = SameDiff.create();
        this.params = params;
        this.training = training;
    }

    /** An inference graph (no dropout) over {@code params}. */
    public Graph(Params params) {
        this(params, false);
    }

    /** A fresh inference graph over new parameters of {@code dtype} initialized from {@code seed}. */
    public static Graph create(DataType dtype, long seed) {
        return new Graph(new Params(dtype, seed));
    }

    public SameDiff sd() {
        return sd;
    }

    public Params params() {
        return params;
    }

    public DataType dtype() {
        return params.dtype();
    }

    public boolean training() {
        return training;
    }

    /** The parameter {@code name} as a variable of this graph (created with {@code init} if new). */
    public SDVariable param(String name, long[] shape, Init init) {
        SDVariable existing = sd.getVariable(name);
        if (existing != null) {
            return existing;
        }
        return sd.var(name, params.getOrCreate(name, shape, init));
    }

    /** {@code base}, or {@code base_1}, {@code base_2}, ...: a variable name not yet used in this graph. */
    public String uniqueName(String base) {
        String name = base;
        for (int i = 1; sd.hasVariable(name); i++) {
            name = base + "_" + i;
        }
        return name;
    }

    /** A constant of this graph's dtype. */
    public SDVariable constant(String name, INDArray value) {
        return sd.constant(name, value.castTo(dtype()));
    }

    /** A placeholder of this graph's dtype. */
    public SDVariable input(String name, long... shape) {
        return sd.placeHolder(name, dtype(), shape);
    }

    /**
     * Inverted dropout of {@code x} (whose shape is {@code shape}) with drop probability {@code p}:
     * in a training graph, x times a mask of 0 and 1/(1-p); otherwise x itself.
     */
    public SDVariable dropout(SDVariable x, double p, long... shape) {
        if (!training || p == 0) {
            return x;
        }
        if (p < 0 || p >= 1) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + p);
        }
        String name = uniqueName("dropout_mask");
        masks.add(new Mask(name, shape.clone(), p));
        return x.mul(sd.placeHolder(name, dtype(), shape));
    }

    /** Fresh values for every dropout mask input, drawn from {@code rng} (empty without dropout). */
    public java.util.Map<String, INDArray> dropoutMasks(Rng rng) {
        java.util.Map<String, INDArray> out = new java.util.LinkedHashMap<>();
        for (Mask m : masks) {
            long n = 1;
            for (long d : m.shape()) {
                n *= d;
            }
            double keep = 1 - m.p();
            double[] v = new double[Math.toIntExact(n)];
            for (int i = 0; i < v.length; i++) {
                v[i] = rng.nextDouble() < keep ? 1 / keep : 0;
            }
            out.put(m.name(), Nd4j.create(v, m.shape(), DataType.DOUBLE).castTo(dtype()));
        }
        return out;
    }

    /**
     * The given masks (row-major, in the order the graph's dropout sites were built) as the
     * mask inputs: to feed the masks another implementation drew, e.g. the fast engine's.
     */
    public java.util.Map<String, INDArray> dropoutMasks(List<float[]> given) {
        if (given.size() != masks.size()) {
            throw new IllegalArgumentException("this graph has " + masks.size() + " dropout masks, got " + given.size());
        }
        java.util.Map<String, INDArray> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < masks.size(); i++) {
            Mask m = masks.get(i);
            out.put(m.name(), Nd4j.create(given.get(i), m.shape(), 'c').castTo(dtype()));
        }
        return out;
    }

    /**
     * Builds the backward graph now. SameDiff prints a line per differentiated op on stdout while
     * doing so; that output is swallowed here so commands can keep stdout for their results.
     */
    public void createGradients() {
        synchronized (STDOUT_LOCK) {
            PrintStream out = System.out;
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            try {
                sd.createGradFunction();
            } finally {
                System.setOut(out);
            }
        }
    }
}
