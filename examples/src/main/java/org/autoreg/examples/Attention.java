package org.autoreg.examples;

import java.util.List;
import org.autoreg.core.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Shared pieces of the attention examples: a sentence, its embeddings, random linear maps, printing tables. */
final class Attention {
    static final List<String> SENTENCE = List.of("the", "cat", "sat", "on", "the", "mat");

    private Attention() {
    }

    /** One seeded Gaussian vector per distinct word (the two "the" share theirs), scaled by 1/√d. */
    static INDArray embed(List<String> words, int d, long seed) {
        INDArray x = Nd4j.create(DataType.DOUBLE, words.size(), d);
        for (int i = 0; i < words.size(); i++) {
            Rng r = new Rng(seed * 31 + words.get(i).hashCode());
            for (int j = 0; j < d; j++) {
                x.putScalar(i, j, r.nextGaussian());
            }
        }
        return x;
    }

    /** A random d_in × d_out matrix (a linear map such as W_Q), entries N(0, 1/d_in). */
    static INDArray linear(int dIn, int dOut, Rng rng) {
        INDArray w = Nd4j.create(DataType.DOUBLE, dIn, dOut);
        for (int i = 0; i < dIn; i++) {
            for (int j = 0; j < dOut; j++) {
                w.putScalar(i, j, rng.nextGaussian() / Math.sqrt(dIn));
            }
        }
        return w;
    }

    static double[][] rows(INDArray m) {
        return m.toDoubleMatrix();
    }

    static void print(java.io.PrintStream out, String title, List<String> words, INDArray m) {
        out.println(title);
        out.print("        ");
        for (String w : words) {
            out.printf("%7s", w);
        }
        out.println();
        double[][] a = m.toDoubleMatrix();
        for (int i = 0; i < a.length; i++) {
            out.printf("%7s ", words.get(i));
            for (double v : a[i]) {
                out.printf("%7.2f", v);
            }
            out.println();
        }
        out.println();
    }
}
