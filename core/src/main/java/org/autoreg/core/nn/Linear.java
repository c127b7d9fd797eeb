package org.autoreg.core.nn;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * A fully connected layer: {@code y = x W + b}. Weight stored {@code [nIn, nOut]} (the layout of
 * GPT-2's Conv1D), so {@code x W} needs no transpose; or, made by {@link #torch}, stored
 * {@code [nOut, nIn]} as PyTorch's {@code nn.Linear} and Hugging Face's Llama: {@code y = x Wᵀ}.
 */
public final class Linear {
    /** [nIn, nOut], or [nOut, nIn] in the torch layout */
    public final SDVariable weight;
    /** [nOut], or null without bias */
    public final SDVariable bias;
    private final boolean torchLayout;

    private Linear(Graph g, String name, long[] shape, Init init) {
        this.weight = g.param(name + ".weight", shape, init);
        this.bias = null;
        this.torchLayout = true;
    }

    /** A bias-free layer with its weight stored [nOut, nIn] (nn.Linear's layout), ~ N(0, std²). */
    public static Linear torch(Graph g, String name, int nIn, int nOut, double std) {
        return new Linear(g, name, new long[] {nOut, nIn}, Init.normal(std));
    }

    /** Weight ~ N(0, std²), bias 0. */
    public Linear(Graph g, String name, int nIn, int nOut, boolean bias, double std) {
        this.weight = g.param(name + ".weight", new long[] {nIn, nOut}, Init.normal(std));
        this.bias = bias ? g.param(name + ".bias", new long[] {nOut}, Init.zeros()) : null;
        this.torchLayout = false;
    }

    /** Weight ~ U(-1/√nIn, 1/√nIn) like PyTorch's nn.Linear, bias 0. */
    public Linear(Graph g, String name, int nIn, int nOut, boolean bias) {
        this.weight = g.param(name + ".weight", new long[] {nIn, nOut}, Init.uniform(1 / Math.sqrt(nIn)));
        this.bias = bias ? g.param(name + ".bias", new long[] {nOut}, Init.zeros()) : null;
        this.torchLayout = false;
    }

    /** x: [N, nIn] → [N, nOut] */
    public SDVariable forward(SDVariable x) {
        SDVariable y = torchLayout ? x.getSameDiff().mmul(x, weight, false, true, false) : x.mmul(weight);
        return bias == null ? y : y.add(bias);
    }
}
