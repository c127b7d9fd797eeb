package org.autoreg.core.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/** Element-wise non-linearities. */
public enum Activation {
    /** max(0, x) */
    RELU,
    /** tanh(x) */
    TANH,
    /** 1 / (1 + e^-x) */
    SIGMOID,
    /** x Φ(x), exact (erf) form: PyTorch's {@code F.gelu}. */
    GELU,
    /** GELU's tanh approximation, GPT-2's {@code gelu_new}: ½ x (1 + tanh(√(2/π)(x + 0.044715 x³))). */
    GELU_TANH,
    /** x */
    IDENTITY;

    private static final double INV_SQRT2 = 1 / Math.sqrt(2);

    public SDVariable apply(SameDiff sd, SDVariable x) {
        switch (this) {
            case RELU:
                return sd.nn.relu(x, 0);
            case TANH:
                return sd.math.tanh(x);
            case SIGMOID:
                return sd.nn.sigmoid(x);
            case GELU:
                return gelu(sd, x);
            case GELU_TANH:
                return geluTanh(sd, x);
            default:
                return x;
        }
    }

    /**
     * GELU(x) = x Φ(x) = ½ x (1 + erf(x/√2)), Hendrycks & Gimpel 2016, as PyTorch computes it.
     * Not {@code sd.nn.gelu}: that is the sigmoid approximation x σ(1.702x) (off by 0.02 at x = -2),
     * and ND4J's PreciseGELU does not match the tanh formula (see NOTES.md).
     */
    public static SDVariable gelu(SameDiff sd, SDVariable x) {
        return x.mul(sd.math.erf(x.mul(INV_SQRT2)).add(1.0)).mul(0.5);
    }

    /** GPT-2's GELU (Hugging Face's {@code gelu_new}), ½ x (1 + tanh(√(2/π)(x + 0.044715 x³))). */
    public static SDVariable geluTanh(SameDiff sd, SDVariable x) {
        SDVariable inner = x.add(x.mul(x).mul(x).mul(0.044715)).mul(Math.sqrt(2 / Math.PI));
        return x.mul(sd.math.tanh(inner).add(1.0)).mul(0.5);
    }
}
