package org.autoreg.examples;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.autoreg.core.Rng;
import org.autoreg.core.nn.PositionalEncoding;
import org.autoreg.core.nn.Similarity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** 8. Positional encodings: without them attention cannot tell "dog bites man" from "man bites dog". */
final class PositionsExample implements Example {
    @Override
    public String name() {
        return "positions";
    }

    @Override
    public String summary() {
        return "sinusoidal and learned positional encodings as pictures, and why they are needed: without them "
                + "'dog bites man' and 'man bites dog' get the same representation";
    }

    @Override
    public Result run(Context ctx) throws IOException {
        int block = 32;
        int d = 16;
        INDArray sin = PositionalEncoding.sinusoidalTable(block, d).castTo(DataType.DOUBLE);
        Rng rng = new Rng(ctx.seed());
        INDArray learned = Attention.linear(block, d, rng).mul(Math.sqrt(block) * 0.02); // as initialised: N(0, 0.02²)
        List<String> pos = new ArrayList<>();
        List<String> dims = new ArrayList<>();
        for (int i = 0; i < block; i++) {
            pos.add(String.valueOf(i));
        }
        for (int i = 0; i < d; i++) {
            dims.add(String.valueOf(i));
        }
        var p1 = Pictures.heatmap(ctx.dir().resolve("positions-sinusoidal.png"),
                "sinusoidal encoding: position (rows) × dimension", pos, dims, sin.toDoubleMatrix());
        var p2 = Pictures.heatmap(ctx.dir().resolve("positions-learned.png"),
                "learned encoding at initialisation (it is trained like any weight)", pos, dims, learned.toDoubleMatrix());
        ctx.out().println("""
                A sinusoidal encoding gives position p, dimension 2i the value sin(p / 10000^(2i/d)) and 2i+1 the
                cosine: low dimensions change fast with position, high ones slowly, so every position gets a unique
                pattern (see the picture). A learned encoding is a table of trainable vectors, one per position.
                """);
        INDArray wq = Attention.linear(d, d, rng);
        INDArray wk = Attention.linear(d, d, rng);
        INDArray wv = Attention.linear(d, d, rng);
        List<String> a = List.of("dog", "bites", "man");
        List<String> b = List.of("man", "bites", "dog");
        INDArray[] without = {layer(Attention.embed(a, d, ctx.seed()), wq, wk, wv),
            layer(Attention.embed(b, d, ctx.seed()), wq, wk, wv)};
        INDArray pe = sin.get(NDArrayIndex.interval(0, 3), NDArrayIndex.all()); // positions 0, 1, 2
        INDArray[] with = {layer(Attention.embed(a, d, ctx.seed()).add(pe), wq, wk, wv),
            layer(Attention.embed(b, d, ctx.seed()).add(pe), wq, wk, wv)};
        double sentenceDiffWithout = pooled(without[0]).distance2(pooled(without[1]));
        double sentenceDiffWith = pooled(with[0]).distance2(pooled(with[1]));
        double dogDiffWithout = without[0].getRow(0).distance2(without[1].getRow(2)); // "dog" in each sentence
        ctx.out().printf("""
                Through a self-attention layer (no mask), without positions:
                  'dog' in "dog bites man" and 'dog' in "man bites dog" get the same vector (distance %.2e),
                  and the sentence representations (mean of the word vectors) are identical (distance %.2e):
                  attention treats a sentence as a set of words, so the order is invisible.
                With the sinusoidal encoding added to the embeddings, the two sentences differ (distance %.3f).
                pictures: %s, %s
                """, dogDiffWithout, sentenceDiffWithout, sentenceDiffWith, p1, p2);
        return new Result().put("without", sentenceDiffWithout).put("with", sentenceDiffWith)
                .put("dog_without", dogDiffWithout).picture(p1).picture(p2);
    }

    private static INDArray layer(INDArray x, INDArray wq, INDArray wk, INDArray wv) {
        INDArray a = Similarity.softmaxRows(Similarity.SCALED_DOT.table(x.mmul(wq), x.mmul(wk)), false);
        return a.mmul(x.mmul(wv));
    }

    private static INDArray pooled(INDArray y) {
        return y.mean(0);
    }
}
