package org.autoreg.core.nn;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * A multi-layer perceptron: Linear layers of the given widths with an activation between them
 * (none after the last), e.g. {@code new Mlp(g, "mlp", new int[] {2, 4, 1}, Activation.TANH)}
 * for XOR.
 */
public final class Mlp {
    private final List<Linear> layers = new ArrayList<>();
    private final Activation activation;
    private final Graph g;

    public Mlp(Graph g, String name, int[] widths, Activation activation) {
        if (widths.length < 2) {
            throw new IllegalArgumentException("an MLP needs at least an input and an output width");
        }
        for (int i = 0; i + 1 < widths.length; i++) {
            layers.add(new Linear(g, name + ".layers." + i, widths[i], widths[i + 1], true));
        }
        this.activation = activation;
        this.g = g;
    }

    public List<Linear> layers() {
        return List.copyOf(layers);
    }

    /** x: [N, widths[0]] → [N, widths[last]] */
    public SDVariable forward(SDVariable x) {
        for (int i = 0; i < layers.size(); i++) {
            x = layers.get(i).forward(x);
            if (i + 1 < layers.size()) {
                x = activation.apply(g.sd(), x);
            }
        }
        return x;
    }

    /** The hidden features after layer {@code i}'s activation (to look at what the network learned). */
    public SDVariable hidden(SDVariable x, int i) {
        for (int k = 0; k <= i; k++) {
            x = activation.apply(g.sd(), layers.get(k).forward(x));
        }
        return x;
    }
}
