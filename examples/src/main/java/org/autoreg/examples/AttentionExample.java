package org.autoreg.examples;

import java.io.IOException;
import java.util.List;
import org.autoreg.core.Rng;
import org.autoreg.core.nn.Similarity;
import org.nd4j.linalg.api.ndarray.INDArray;

/** 6. Attention on one sentence, step by step. */
final class AttentionExample implements Example {
    @Override
    public String name() {
        return "attention";
    }

    @Override
    public String summary() {
        return "one sentence step by step: embeddings, the similarity table (dot, scaled dot), row softmax, the "
                + "weighted sum; Q/K/V maps; causal masking; heatmaps";
    }

    @Override
    public Result run(Context ctx) throws IOException {
        List<String> w = Attention.SENTENCE;
        int d = 8;
        INDArray x = Attention.embed(w, d, ctx.seed());
        ctx.out().printf("1. each word is a vector (an embedding), here %d numbers; 'the' appears twice with one vector%n%n", d);
        Attention.print(ctx.out(), "2. similarity table: dot products x_i · x_j", w, Similarity.DOT.table(x, x));
        INDArray scaled = Similarity.SCALED_DOT.table(x, x);
        Attention.print(ctx.out(), "   scaled dot product x_i · x_j / √d (keeps the softmax from saturating as d grows)",
                w, scaled);
        INDArray a = Similarity.softmaxRows(scaled, false);
        Attention.print(ctx.out(), "3. row softmax: each row becomes weights ≥ 0 that sum to 1", w, a);
        INDArray y = a.mmul(x);
        ctx.out().printf("4. weighted sum: word i's new vector is Σ_j a_ij x_j, a mix of the words it attends to; "
                + "'cat' moved from%n   %s%n   to %s%n%n", row(x, 1), row(y, 1));
        Rng rng = new Rng(ctx.seed());
        INDArray wq = Attention.linear(d, d, rng);
        INDArray wk = Attention.linear(d, d, rng);
        INDArray wv = Attention.linear(d, d, rng);
        INDArray q = x.mmul(wq);
        INDArray k = x.mmul(wk);
        INDArray qk = Similarity.softmaxRows(Similarity.SCALED_DOT.table(q, k), false);
        Attention.print(ctx.out(), "5. with learned maps Q = X·W_Q, K = X·W_K (random here), the table is no longer "
                + "symmetric:\n   what a word looks for (Q) differs from what it offers (K); values V = X·W_V are mixed",
                w, qk);
        INDArray causal = Similarity.softmaxRows(Similarity.SCALED_DOT.table(q, k), true);
        Attention.print(ctx.out(), "6. causal mask: a word may attend only to itself and earlier words (the future "
                + "is set to −∞ before the softmax)", w, causal);
        INDArray out = causal.mmul(x.mmul(wv));
        ctx.out().printf("   output rows = weighted sums of V: %d × %d%n%n", out.rows(), out.columns());
        var p1 = Pictures.heatmap(ctx.dir().resolve("attention-weights.png"), "attention weights (scaled dot, softmax)",
                w, w, Attention.rows(a));
        var p2 = Pictures.heatmap(ctx.dir().resolve("attention-causal.png"), "causal attention with Q/K maps", w, w,
                Attention.rows(causal));
        ctx.out().println("pictures: " + p1 + ", " + p2);
        double maxRowError = 0;
        double future = 0;
        for (INDArray m : List.of(a, qk, causal)) {
            for (int i = 0; i < m.rows(); i++) {
                maxRowError = Math.max(maxRowError, Math.abs(m.getRow(i).sumNumber().doubleValue() - 1));
            }
        }
        for (int i = 0; i < causal.rows(); i++) {
            for (int j = i + 1; j < causal.columns(); j++) {
                future = Math.max(future, causal.getDouble(i, j));
            }
        }
        return new Result().put("row_sum_error", maxRowError).put("future_weight", future)
                .put("symmetric_plain", scaled.equalsWithEps(scaled.transpose(), 1e-9)).picture(p1).picture(p2);
    }

    private static String row(INDArray m, int i) {
        StringBuilder sb = new StringBuilder("[");
        for (int j = 0; j < m.columns(); j++) {
            sb.append(String.format("%s%.2f", j == 0 ? "" : ", ", m.getDouble(i, j)));
        }
        return sb.append("]").toString();
    }
}
