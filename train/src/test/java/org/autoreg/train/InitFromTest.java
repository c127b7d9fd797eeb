package org.autoreg.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.autoreg.core.HfExport;
import org.autoreg.core.ModelDirectory;
import org.autoreg.core.nn.Params;
import org.autoreg.tokenizer.cli.Cli;
import org.autoreg.train.cli.TrainCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train --init-from: a checkpoint's weights, shape and tokenizer, a fresh optimizer. */
class InitFromTest {
    @TempDir
    Path tmp;

    private static List<String> with(List<String> sets, String... more) {
        List<String> out = new ArrayList<>(sets);
        out.addAll(List.of(more));
        return out;
    }

    /** The sets train --init-from makes: the checkpoint's shape, then ours, then init_from and tokenizer. */
    private static List<String> initFrom(Path model, List<String> sets) throws IOException {
        List<String> out = new ArrayList<>(TrainConfig.shapeOf(ModelDirectory.inspect(model).config()));
        out.addAll(sets);
        out.add("init_from=" + model);
        out.add("tokenizer=" + model);
        return out;
    }

    @Test
    void startsFromTheCheckpointsWeightsAndLearnsFasterThanFromScratch() throws IOException {
        Path corpus = TrainerTest.corpus(tmp);
        Path base = tmp.resolve("base");
        TrainerTest.train(base, TrainerTest.tiny(corpus, "max_iters=200", "lr_decay_iters=200", "eval_interval=100",
                "learning_rate=0.01", "min_lr=0.001"), false);
        Path best = base.resolve("best");

        // max_iters=0: the first checkpoint holds exactly the weights it started from
        Path zero = tmp.resolve("zero");
        TrainerTest.train(zero, initFrom(best, TrainerTest.tiny(corpus, "max_iters=0")), false);
        Params a = ModelDirectory.load(best).model().params();
        Params b = ModelDirectory.load(zero.resolve("latest")).model().params();
        for (String name : a.names()) {
            assertArrayEquals(a.get(name).data().asFloat(), b.get(name).data().asFloat(), 0f, name);
        }

        // a checkpoint exported to Hugging Face's layout starts a run the same way
        Path hf = tmp.resolve("base-hf");
        HfExport.export(best, hf, false);
        Path fromHf = tmp.resolve("from-hf");
        List<String> few = TrainerTest.tiny(corpus, "max_iters=30", "lr_decay_iters=30", "eval_interval=10");
        TrainerTest.train(fromHf, initFrom(hf, few), false);
        Path fromDir = tmp.resolve("from-dir");
        TrainerTest.train(fromDir, initFrom(best, few), false);
        Path scratch = tmp.resolve("scratch");
        Trainer.Result s = TrainerTest.train(scratch, few, false);
        Trainer.Result f = TrainerTest.train(tmp.resolve("again"), initFrom(best, few), false);
        assertTrue(f.finalValLoss() < s.finalValLoss() - 0.1, "fine-tuned " + f.finalValLoss() + " vs scratch "
                + s.finalValLoss());
        // GPT-2's exported biases are zeros, so the imported model is the same function: same first evaluation
        assertEquals(TrainerTest.trainLosses(fromDir).get(0).substring(0, 12),
                TrainerTest.trainLosses(fromHf).get(0).substring(0, 12));
    }

    @Test
    void anInitFromRunResumesExactly() throws IOException {
        Path corpus = TrainerTest.corpus(tmp);
        Path base = tmp.resolve("base");
        TrainerTest.train(base, TrainerTest.tiny(corpus, "max_iters=20"), false);
        List<String> sets = initFrom(base.resolve("best"), TrainerTest.tiny(corpus, "max_iters=30", "lr_decay_iters=30",
                "dropout=0.1"));
        Path whole = tmp.resolve("whole");
        TrainerTest.train(whole, sets, false);
        Path split = tmp.resolve("split");
        List<String> first = new ArrayList<>(sets);
        first.add("max_iters=10");
        TrainerTest.train(split, first, false);
        TrainerTest.train(split, List.of("max_iters=30"), true);
        assertEquals(TrainerTest.trainLosses(whole), TrainerTest.trainLosses(split));
    }

    @Test
    void aSetThatChangesTheShapeOrTheTokenizerIsRefused() throws IOException {
        Path corpus = TrainerTest.corpus(tmp);
        Path base = tmp.resolve("base");
        TrainerTest.train(base, TrainerTest.tiny(corpus, "max_iters=5"), false);
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.err;
        int code;
        try {
            System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
            code = Cli.run(new TrainCommand(), "--config", "shakespeare-char-baby", "--init-from", base.toString(),
                    "--set", "n_layer=3", "--out", tmp.resolve("x").toString());
            assertEquals(2, code);
            assertTrue(err.toString().contains("--set n_layer=3 would change the shape"), err.toString());
            code = Cli.run(new TrainCommand(), "--config", "shakespeare-char-baby", "--init-from", base.toString(),
                    "--set", "tokenizer=char", "--out", tmp.resolve("y").toString());
            assertEquals(2, code);
            assertTrue(err.toString().contains("keeps the checkpoint's tokenizer"), err.toString());
        } finally {
            System.setErr(old);
        }
        assertTrue(!Files.exists(tmp.resolve("x").resolve("latest")));
        // the same values as the checkpoint's are fine
        List<String> ok = with(initFrom(base.resolve("best"), TrainerTest.tiny(corpus, "max_iters=1")), "n_layer=1");
        TrainerTest.train(tmp.resolve("ok"), ok, false);
    }

    @Test
    void aLlamaMayFineTuneOnAShorterContextButAGpt2MayNot() throws IOException {
        Path corpus = TrainerTest.corpus(tmp);
        Path llama = tmp.resolve("llama");
        TrainerTest.train(llama, TrainerTest.tiny(corpus, "max_iters=5", "architecture=llama", "positional=null",
                "block_size=32"), false);
        java.io.PrintStream old = System.err;
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        try {
            System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(0, Cli.run(new TrainCommand(), "--config", "shakespeare-char-baby", "--init-from",
                    llama.toString(), "--corpus", corpus.toString(), "--set", "block_size=8", "--set", "max_iters=3",
                    "--set", "eval_interval=3", "--set", "eval_iters=1", "--set", "sample_tokens=0", "--set",
                    "batch_size=2", "--out", tmp.resolve("short").toString()), err.toString());
            Path gpt2 = tmp.resolve("gpt2");
            TrainerTest.train(gpt2, TrainerTest.tiny(corpus, "max_iters=2"), false);
            assertEquals(2, Cli.run(new TrainCommand(), "--config", "shakespeare-char-baby", "--init-from",
                    gpt2.toString(), "--set", "block_size=8", "--out", tmp.resolve("g").toString()));
            assertTrue(err.toString().contains("--set block_size=8 would change the shape"), err.toString());
        } finally {
            System.setErr(old);
        }
        assertEquals(8, ModelDirectory.load(tmp.resolve("short").resolve("latest")).model().config().blockSize());
    }
}
