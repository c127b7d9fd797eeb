package org.autoreg.core.nn;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * A fully connected layer: {@code y = x W + b}. Weight stored {@code [nIn, nOut]} (the layout of
 * GPT-2's Conv1D), so {@code x W} needs no transpose.
 */
public final class Linear {
    /** [nIn, nOut] */
    public final SDVariable weight;
    /** [nOut], or null without bias */
    public final SDVariable bias;

    /** Weight ~ N(0, std²), bias 0. */
    public Linear(Graph g, String name, int nIn, int nOut, boolean bias, double std) {
        this.weight = g.param(name + ".weight", new long[] {nIn, nOut}, Init.normal(std));
        this.bias = bias ? g.param(name + ".bias", new long[] {nOut}, Init.zeros()) : null;
    }

    /** Weight ~ U(-1/√nIn, 1/√nIn) like PyTorch's nn.Linear, bias 0. */
    public Linear(Graph g, String name, int nIn, int nOut, boolean bias) {
        this.weight = g.param(name + ".weight", new long[] {nIn, nOut}, Init.uniform(1 / Math.sqrt(nIn)));
        this.bias = bias ? g.param(name + ".bias", new long[] {nOut}, Init.zeros()) : null;
    }

    /** x: [N, nIn] → [N, nOut] */
    public SDVariable forward(SDVariable x) {
        SDVariable y = x.mmul(weight);
        return bias == null ? y : y.add(bias);
    }
}
