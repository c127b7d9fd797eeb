package org.autoreg.examples;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.autoreg.core.Rng;

/** 3. Word n-grams on tinyshakespeare: perplexity per n, samples, and the fixed-window limit. */
final class NgramExample implements Example {
    @Override
    public String name() {
        return "ngram";
    }

    @Override
    public String summary() {
        return "word n-gram predictors (n = 1..4): perplexity per n on train and held-out text, samples, and their "
                + "limit: nothing beyond the last n−1 words counts";
    }

    @Override
    public Result run(Context ctx) throws IOException {
        List<String> words = Words.read(ctx.corpus(), ctx.scaled(1_115_394));
        int cut = (int) (words.size() * 0.9);
        List<String> train = words.subList(0, cut);
        List<String> held = words.subList(cut, words.size());
        List<String> trainSlice = train.subList(0, Math.min(train.size(), held.size()));
        ctx.out().printf("%,d words (%,d train, %,d held out)%n%n", words.size(), train.size(), held.size());
        ctx.out().println(" n   perplexity (train)   perplexity (held out)   sample");
        Result r = new Result();
        double[] ns = {1, 2, 3, 4};
        double[] trainPpl = new double[4];
        double[] heldPpl = new double[4];
        NgramModel three = null;
        for (int n = 1; n <= 4; n++) {
            NgramModel m = new NgramModel(train, n);
            trainPpl[n - 1] = m.perplexity(trainSlice);
            heldPpl[n - 1] = m.perplexity(held);
            r.put("train_ppl_" + n, trainPpl[n - 1]).put("held_ppl_" + n, heldPpl[n - 1]);
            String sample = String.join(" ", m.sample(List.of("the", "king"), 14, new Rng(ctx.seed())));
            ctx.out().printf("%2d   %18.1f   %21.1f   the king %s%n", n, trainPpl[n - 1], heldPpl[n - 1], sample);
            if (n == 3) {
                three = m;
            }
        }
        ctx.out().println("""

                Perplexity is the model's average branching factor: lower is better. On the training text it keeps
                falling as n grows (longer contexts memorize more); on held-out text it stops improving, because most
                3- and 4-word contexts were never seen and the model falls back to shorter ones.""");
        List<String> a = Words.of("o romeo, romeo! wherefore art thou");
        List<String> b = Words.of("the duke of york hath sent for thee, and art thou");
        double[] da = three.distribution(a);
        double[] db = three.distribution(b);
        boolean same = Arrays.equals(da, db);
        r.put("same_distribution", same);
        ctx.out().printf("%nThe limit, with n = 3: the next-word distribution after%n  \"%s\"%nand after%n  \"%s\"%n"
                + "is %s — both end in \"art thou\", and nothing before the last 2 words is seen. Top 5: %s%n",
                String.join(" ", a), String.join(" ", b), same ? "identical" : "different", top(three, da, 5));
        r.picture(Pictures.lines(ctx.dir().resolve("ngram-perplexity.png"), "n-gram perplexity", "n", "perplexity", ns,
                List.of("train", "held out"), List.of(trainPpl, heldPpl)));
        ctx.out().println("\npicture: " + ctx.dir().resolve("ngram-perplexity.png"));
        return r;
    }

    private static String top(NgramModel m, double[] d, int k) {
        Integer[] order = new Integer[d.length];
        for (int i = 0; i < d.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(d[y], d[x]));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            out.add(String.format("%s %.3f", m.vocab.get(order[i]), d[order[i]]));
        }
        return String.join(", ", out);
    }
}
