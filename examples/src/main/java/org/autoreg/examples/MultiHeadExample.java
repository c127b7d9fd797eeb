package org.autoreg.examples;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.autoreg.core.Rng;
import org.autoreg.core.nn.Similarity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** 7. Several attention heads on one sentence, and the projection that combines them. */
final class MultiHeadExample implements Example {
    @Override
    public String name() {
        return "multihead";
    }

    @Override
    public String summary() {
        return "several heads on the same sentence: their different attention maps, and the output projection that "
                + "combines them";
    }

    @Override
    public Result run(Context ctx) throws IOException {
        List<String> w = Attention.SENTENCE;
        int d = 16;
        int heads = 4;
        int hs = d / heads;
        INDArray x = Attention.embed(w, d, ctx.seed());
        Rng rng = new Rng(ctx.seed() + 7);
        List<INDArray> outs = new ArrayList<>();
        List<INDArray> maps = new ArrayList<>();
        Result r = new Result();
        ctx.out().printf("%d heads of size %d on a %d-dimensional sentence (as core's MultiHeadAttention: one Q/K/V "
                + "map per head, causal)%n%n", heads, hs, d);
        for (int h = 0; h < heads; h++) {
            INDArray q = x.mmul(Attention.linear(d, hs, rng));
            INDArray k = x.mmul(Attention.linear(d, hs, rng));
            INDArray v = x.mmul(Attention.linear(d, hs, rng));
            INDArray a = Similarity.softmaxRows(Similarity.SCALED_DOT.table(q, k), true);
            maps.add(a);
            outs.add(a.mmul(v));
            Attention.print(ctx.out(), "head " + (h + 1) + " attention weights", w, a);
            r.picture(Pictures.heatmap(ctx.dir().resolve("multihead-head" + (h + 1) + ".png"), "head " + (h + 1), w, w,
                    Attention.rows(a)));
        }
        INDArray concat = Nd4j.hstack(outs.toArray(new INDArray[0]));
        INDArray wo = Attention.linear(d, d, rng);
        INDArray y = concat.mmul(wo);
        ctx.out().printf("Each head returns a %d × %d block; side by side they make %d × %d, and the output projection "
                + "W_O (%d × %d) mixes the heads back into one %d-dimensional vector per word: %d × %d.%n"
                + "Different heads can attend to different things (look at the maps: they differ).%n",
                w.size(), hs, w.size(), d, d, d, d, y.rows(), y.columns());
        double difference = maps.get(0).sub(maps.get(1)).norm1Number().doubleValue();
        ctx.out().println("pictures: " + r.pictures);
        return r.put("heads", heads).put("head_difference", difference).put("output_rows", y.rows())
                .put("output_cols", y.columns());
    }
}
