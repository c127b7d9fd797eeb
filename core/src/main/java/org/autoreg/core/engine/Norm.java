package org.autoreg.core.engine;

/** A row normalization with a learned gain: LayerNorm (GPT-2) or RMSNorm (Llama). */
interface Norm {
    /** out[n, C] = norm(x[n, C]); keeps the row statistics for backward. */
    void forward(float[] out, float[] x, int n);

    /** dx[n, C] += d norm/dx · dout; accumulates the gain's (and bias's) gradient. */
    void backward(float[] dx, float[] dout, float[] x, int n);
}
