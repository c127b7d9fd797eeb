package org.autoreg.core.engine;

/** The feed-forward half of a block: a GELU MLP (GPT-2) or a SwiGLU MLP (Llama). */
interface Mlp {
    /** out[n, C] = mlp(x[n, C]); keeps what backward needs. */
    void forward(float[] out, float[] x, int n);

    /** dx[n, C] = d mlp/dx · dout (overwritten); accumulates the weights' gradients. */
    void backward(float[] dx, float[] dout, float[] x, int n);
}
