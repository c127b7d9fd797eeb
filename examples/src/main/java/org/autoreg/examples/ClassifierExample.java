package org.autoreg.examples;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.autoreg.core.Rng;
import org.autoreg.core.nn.Embedding;
import org.autoreg.core.nn.Graph;
import org.autoreg.core.nn.Linear;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** 4. "A text generator is a classifier over all words": a neural bigram model and its softmax. */
final class ClassifierExample implements Example {
    @Override
    public String name() {
        return "classifier";
    }

    @Override
    public String summary() {
        return "a text generator is a classifier over all words: a neural bigram model's softmax over the vocabulary "
                + "for one context (top 10), then sampling from it";
    }

    @Override
    public Result run(Context ctx) throws IOException {
        List<String> words = Words.read(ctx.corpus(), ctx.scaled(400_000));
        Map<String, Integer> counts = new HashMap<>();
        words.forEach(w -> counts.merge(w, 1, Integer::sum));
        List<String> vocab = new ArrayList<>(counts.keySet());
        vocab.sort((a, b) -> counts.get(b) - counts.get(a) != 0 ? counts.get(b) - counts.get(a) : a.compareTo(b));
        vocab = new ArrayList<>(vocab.subList(0, Math.min(500, vocab.size())));
        vocab.add(NgramModel.UNK);
        Map<String, Integer> id = new HashMap<>();
        for (int i = 0; i < vocab.size(); i++) {
            id.put(vocab.get(i), i);
        }
        int v = vocab.size();
        int[] ids = words.stream().mapToInt(w -> id.getOrDefault(w, v - 1)).toArray();
        ctx.out().printf("%,d words; the classifier's classes: the %d most frequent words and <unk>%n", words.size(), v);

        // model: previous word → embedding (32) → linear → logits over the vocabulary → softmax
        Graph g = Graph.create(DataType.FLOAT, ctx.seed());
        SameDiff sd = g.sd();
        int batch = 256;
        SDVariable prev = g.input("prev", batch);
        SDVariable next = g.input("next", batch);
        Embedding emb = new Embedding(g, "emb", v, 32, 0.1);
        Linear out = new Linear(g, "out", 32, v, true, 0.1);
        SDVariable logits = out.forward(emb.forward(prev));
        SDVariable probs = sd.nn.softmax("probs", logits, 1);
        sd.math.neg("loss", sd.mean(sd.sum(emb.oneHot(next).mul(sd.nn.logSoftmax(logits)), 1)));
        sd.setLossVariables("loss");
        g.createGradients();
        Rng rng = new Rng(ctx.seed());
        int steps = ctx.scaled(800);
        double firstLoss = Double.NaN;
        double lastLoss = Double.NaN;
        for (int step = 0; step <= steps; step++) {
            float[] p = new float[batch];
            float[] n = new float[batch];
            for (int i = 0; i < batch; i++) {
                int at = rng.nextInt(ids.length - 1);
                p[i] = ids[at];
                n[i] = ids[at + 1];
            }
            Map<String, INDArray> in = Map.of("prev", Nd4j.create(p), "next", Nd4j.create(n));
            Map<String, INDArray> grads = sd.calculateGradients(in, g.params().names());
            grads.forEach((name, grad) -> g.params().get(name).subi(grad.mul(1.0)));
            if (step % Math.max(1, steps / 4) == 0 || step == steps) {
                lastLoss = sd.output(in, "loss").get("loss").getDouble(0);
                if (step == 0) {
                    firstLoss = lastLoss;
                }
                ctx.out().printf("step %4d: cross-entropy %.3f (uniform guessing: %.3f)%n", step, lastLoss, Math.log(v));
            }
        }
        String context = "the";
        double[] dist = softmaxAfter(sd, batch, id.get(context));
        Integer[] order = new Integer[v];
        for (int i = 0; i < v; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(dist[b], dist[a]));
        ctx.out().printf("%nThe softmax output after \"%s\": a probability for every one of the %d classes "
                + "(sum %.4f). Top 10:%n", context, v, Arrays.stream(dist).sum());
        for (int i = 0; i < 10; i++) {
            ctx.out().printf("  %-10s %.4f%n", vocab.get(order[i]), dist[order[i]]);
        }
        // sampling: draw the next class from the softmax, feed it back as the context
        List<String> sample = new ArrayList<>(List.of(context));
        Rng draw = new Rng(ctx.seed() + 1);
        for (int i = 0; i < 15; i++) {
            double[] d = softmaxAfter(sd, batch, id.get(sample.get(sample.size() - 1)));
            sample.add(vocab.get(draw.nextWeighted(d)));
        }
        ctx.out().println("\nSampled, one class at a time: " + String.join(" ", sample));
        ctx.out().println("Generating text is repeated classification: the model scores all words, softmax turns the "
                + "scores into probabilities, and we draw one.");
        // the most frequent followers of the context in the corpus, for comparison
        Map<String, Integer> follow = new HashMap<>();
        for (int i = 0; i + 1 < words.size(); i++) {
            if (words.get(i).equals(context)) {
                follow.merge(vocab.get(ids[i + 1]), 1, Integer::sum);
            }
        }
        List<String> frequent = new ArrayList<>(follow.keySet());
        frequent.sort((a, b) -> follow.get(b) - follow.get(a));
        return new Result().put("sum", Arrays.stream(dist).sum()).put("top", vocab.get(order[0]))
                .put("first_loss", firstLoss).put("last_loss", lastLoss)
                .put("frequent_followers", frequent.subList(0, Math.min(5, frequent.size())));
    }

    /** The model's softmax over the vocabulary after the word with id {@code prev}. */
    private static double[] softmaxAfter(SameDiff sd, int batch, int prev) {
        float[] ids = new float[batch];
        Arrays.fill(ids, prev);
        return sd.output(Map.of("prev", Nd4j.create(ids), "next", Nd4j.create(new float[batch])), "probs").get("probs")
                .getRow(0).castTo(DataType.DOUBLE).toDoubleVector();
    }
}
