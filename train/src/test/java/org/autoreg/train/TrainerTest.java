package org.autoreg.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.autoreg.core.ModelDirectory;
import org.autoreg.core.data.CorpusCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    @TempDir
    Path tmp;

    static Path corpus(Path dir) throws IOException {
        StringBuilder sb = new StringBuilder();
        String[] words = {"the", "king", "queen", "shall", "not", "be", "my", "lord", "and", "thou", "art"};
        org.autoreg.core.Rng r = new org.autoreg.core.Rng(5);
        for (int i = 0; i < 6000; i++) {
            sb.append(words[r.nextInt(words.length)]).append(r.nextInt(7) == 0 ? ".\n" : " ");
        }
        return Files.writeString(dir.resolve("corpus.txt"), sb);
    }

    /** A tiny model on the synthetic corpus, logging every step. */
    static List<String> tiny(Path corpus, String... more) {
        List<String> s = new ArrayList<>(List.of("n_layer=1", "n_head=2", "n_embd=16", "block_size=16", "batch_size=4",
                "max_iters=40", "lr_decay_iters=40", "warmup_iters=5", "eval_interval=10", "eval_iters=2",
                "log_interval=1", "sample_tokens=0", "corpus=" + corpus));
        s.addAll(List.of(more));
        return s;
    }

    /** {@code sets} as a JSON config file in {@code dir} (for a training process started with --config). */
    static Path configFile(Path dir, List<String> sets) throws IOException {
        StringBuilder json = new StringBuilder("{");
        for (String s : sets) {
            String[] kv = s.split("=", 2);
            String v = kv[1].matches("-?[0-9.eE+-]+|true|false") ? kv[1] : "\"" + kv[1] + "\"";
            json.append(json.length() > 1 ? ", " : "").append('"').append(kv[0]).append("\": ").append(v);
        }
        return Files.writeString(dir.resolve("tiny.json"), json.append('}').toString());
    }

    /** The iteration of the run's latest checkpoint; -1 when there is none yet or it is being written. */
    static int checkpointIter(Path run) {
        try {
            ModelDirectory.TrainingState s = ModelDirectory.loadTrainingState(run.resolve("latest"));
            return s == null ? -1 : s.state().path("iter").asInt();
        } catch (IOException e) {
            return -1;
        }
    }

    static Trainer.Result train(Path run, List<String> sets, boolean resume) throws IOException {
        TrainConfig cfg = TrainConfig.load(resume ? run.resolve("config.json").toString() : "shakespeare-char-baby", sets);
        return new Trainer(cfg, run, new CorpusCatalog(CorpusCatalog.BUILT_IN, run.resolve("cache"), null),
                new PrintStream(java.io.OutputStream.nullOutputStream()), Progress.silent()).run(resume);
    }

    static List<String> trainLosses(Path run) throws IOException {
        List<String> out = new ArrayList<>();
        for (ObjectNode o : new Metrics(run.resolve("metrics.jsonl")).read()) {
            if ("train".equals(o.path("event").asText())) {
                out.add(o.path("iter").asInt() + ":" + o.path("train_loss").asText());
            }
        }
        return out;
    }

    @Test
    void lossFallsAndTheRunDirectoryIsComplete() throws IOException {
        Path run = tmp.resolve("run");
        Trainer.Result r = train(run, tiny(corpus(tmp), "sample_tokens=50", "learning_rate=0.01", "min_lr=0.001"), false);
        assertEquals(Trainer.Stop.MAX_ITERS, r.stop());
        List<ObjectNode> metrics = new Metrics(run.resolve("metrics.jsonl")).read();
        double first = metrics.stream().filter(m -> m.path("event").asText().equals("eval")).findFirst().get()
                .path("val_loss").asDouble();
        assertTrue(r.finalValLoss() < first - 0.5, "val loss falls: " + first + " -> " + r.finalValLoss());
        for (String f : new String[] {"config.json", "final.json", "loss.png", "metrics.jsonl", "data/meta.json"}) {
            assertTrue(Files.exists(run.resolve(f)), f);
        }
        assertTrue(ModelDirectory.inspect(run.resolve("best")).hasLmHead());
        assertEquals(40, ModelDirectory.loadTrainingState(run.resolve("latest")).state().path("iter").asInt());
        assertEquals(50, r.sample().codePointCount(0, r.sample().length()) > 0 ? 50 : 0);
        assertEquals(5, metrics.stream().filter(m -> m.path("event").asText().equals("eval")).count(),
                "evaluations at 0, 10, 20, 30, 40");
    }

    @Test
    void sameSeedSameRunAndResumeContinuesBitExactly() throws IOException {
        Path c = corpus(tmp);
        Path full = tmp.resolve("full");
        train(full, tiny(c), false);
        Path again = tmp.resolve("again");
        train(again, tiny(c), false);
        assertEquals(trainLosses(full), trainLosses(again), "same seed, identical losses");
        assertNotEquals(trainLosses(full), trainLosses(train2(tmp.resolve("other"), tiny(c, "seed=7"))));

        // a run stopped at 20 (its last checkpoint), then resumed to 40
        Path split = tmp.resolve("split");
        train(split, tiny(c, "max_iters=20"), false);
        train(split, List.of("max_iters=40"), true);
        assertEquals(trainLosses(full), trainLosses(split), "the resumed curve continues exactly");
        assertEquals(40, trainLosses(split).size());
        assertArrayEquals(Files.readAllBytes(full.resolve("latest/model.safetensors")),
                Files.readAllBytes(split.resolve("latest/model.safetensors")), "identical final weights");
    }

    @Test
    void tokenEmbeddingsStartFromWordVectors() throws IOException {
        Path c = corpus(tmp);
        float[] k = new float[16];
        float[] q = new float[16];
        for (int d = 0; d < 16; d++) {
            k[d] = 0.5f + d;
            q[d] = -0.25f * d;
        }
        float[] data = new float[3 * 16];
        System.arraycopy(k, 0, data, 0, 16);
        System.arraycopy(q, 0, data, 16, 16);
        Path vectors = tmp.resolve("chars.bin");
        org.autoreg.core.io.Word2VecFormat.write(vectors,
                new org.autoreg.core.io.Word2VecFormat.Vectors(List.of("k", "Q", "zz"), 16, data), true);
        Path run = tmp.resolve("init");
        train(run, tiny(c, "max_iters=1", "eval_interval=1", "learning_rate=1e-12", "min_lr=1e-12",
                "init_embeddings=" + vectors), false);
        ModelDirectory.Loaded m = ModelDirectory.load(run.resolve("latest"));
        var wte = m.model().params().get(org.autoreg.core.nn.Gpt.WTE);
        int kId = m.tokenizer().tokenToId("k").getAsInt();
        int qId = m.tokenizer().tokenToId("q").getAsInt();
        assertArrayEquals(k, wte.getRow(kId).toFloatVector(), 1e-6f);
        assertArrayEquals(q, wte.getRow(qId).toFloatVector(), 1e-6f, "matched by lowercase");

        Path small = tmp.resolve("small.bin");
        org.autoreg.core.io.Word2VecFormat.write(small,
                new org.autoreg.core.io.Word2VecFormat.Vectors(List.of("k"), 8, new float[8]), false);
        String err = assertThrows(IllegalArgumentException.class,
                () -> train(tmp.resolve("bad"), tiny(c, "init_embeddings=" + small), false)).getMessage();
        assertTrue(err.contains("8-dimensional vectors but the model's n_embd is 16") && err.contains("--size 16"), err);
    }

    private static Path train2(Path run, List<String> sets) throws IOException {
        train(run, sets, false);
        return run;
    }

    @Test
    void gradientAccumulationEqualsTheLargerBatch() throws IOException {
        Path c = corpus(tmp);
        Path big = tmp.resolve("big");
        train(big, tiny(c, "batch_size=4", "max_iters=10"), false);
        Path acc = tmp.resolve("acc");
        train(acc, tiny(c, "batch_size=2", "gradient_accumulation_steps=2", "max_iters=10"), false);
        List<String> a = trainLosses(big);
        List<String> b = trainLosses(acc);
        for (int i = 0; i < a.size(); i++) {
            double x = Double.parseDouble(a.get(i).split(":")[1]);
            double y = Double.parseDouble(b.get(i).split(":")[1]);
            assertEquals(x, y, 1e-4, "iteration " + i);
        }
    }

    @Test
    void nanStopsTheRunAndKeepsTheLastGoodCheckpoint() throws IOException {
        Path run = tmp.resolve("nan");
        Trainer.Result r = train(run, tiny(corpus(tmp), "learning_rate=1e30", "min_lr=0", "warmup_iters=0",
                "decay_lr=false", "grad_clip=0", "max_iters=200"), false);
        assertEquals(Trainer.Stop.NAN, r.stop());
        assertTrue(r.iters() < 200);
        ModelDirectory.Loaded good = ModelDirectory.load(run.resolve("latest"));
        assertTrue(good.model().params().asMap().values().stream().allMatch(a -> Double.isFinite(a.sumNumber()
                .doubleValue())), "the checkpoint holds finite weights");
        assertEquals("nan", new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.resolve("final.json").toFile())
                .path("stop").asText());
    }

    @Test
    void aLlamaWithDropoutLearnsOnTheFastEngine() throws IOException {
        Path run = tmp.resolve("llama");
        Trainer.Result r = train(run, tiny(corpus(tmp), "architecture=llama", "n_kv_head=1", "dropout=0.1",
                "learning_rate=0.01", "min_lr=0.001", "sample_tokens=20"), false);
        assertEquals(Trainer.Stop.MAX_ITERS, r.stop());
        assertEquals("fast", r.summary().path("engine").asText());
        List<ObjectNode> metrics = new Metrics(run.resolve("metrics.jsonl")).read();
        double first = metrics.stream().filter(m -> m.path("event").asText().equals("eval")).findFirst().get()
                .path("val_loss").asDouble();
        assertTrue(r.finalValLoss() < first - 0.5, "val loss falls: " + first + " -> " + r.finalValLoss());
        assertEquals("llama", ModelDirectory.inspect(run.resolve("best")).config().path("architecture").asText());
        assertTrue(ModelDirectory.load(run.resolve("best")).model().params().contains(
                "model.layers.0.self_attn.q_proj.weight"));
        assertFalse(r.sample().isEmpty());
    }

    @Test
    void bothEnginesTrainTheSameLlama() throws IOException {
        List<String> sets = List.of("architecture=llama", "n_kv_head=1", "max_iters=4", "eval_interval=100",
                "sample_tokens=0");
        List<String> fastSets = new ArrayList<>(tiny(corpus(tmp), sets.toArray(String[]::new)));
        List<String> graphSets = new ArrayList<>(fastSets);
        graphSets.add("engine=samediff");
        train(tmp.resolve("fast"), fastSets, false);
        train(tmp.resolve("graph"), graphSets, false);
        List<String> a = trainLosses(tmp.resolve("fast"));
        List<String> b = trainLosses(tmp.resolve("graph"));
        assertEquals(4, a.size());
        for (int i = 0; i < a.size(); i++) {
            double x = Double.parseDouble(a.get(i).split(":")[1]);
            double y = Double.parseDouble(b.get(i).split(":")[1]);
            assertEquals(x, y, 1e-4 * x, "step " + i + ": fast " + x + ", samediff " + y);
        }
    }

    @Test
    void badConfigsAreExplained() throws IOException {
        Path c = corpus(tmp);
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.load("shakespeare-char-baby", List.of("n_lyer=4")));
        assertTrue(unknown.getMessage().contains("unknown config key 'n_lyer'") && unknown.getMessage()
                .contains("did you mean 'n_layer'"), unknown.getMessage());
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.load("shakespeare-char-baby", List.of("n_layer=four")));
        assertTrue(type.getMessage().contains("n_layer must be an integer"), type.getMessage());
        IllegalArgumentException heads = assertThrows(IllegalArgumentException.class,
                () -> train(tmp.resolve("h"), tiny(c, "n_head=3"), false));
        assertTrue(heads.getMessage().contains("not divisible by n_head 3"), heads.getMessage());
        IllegalArgumentException block = assertThrows(IllegalArgumentException.class,
                () -> train(tmp.resolve("b"), tiny(c, "block_size=100000"), false));
        assertTrue(block.getMessage().contains("block_size 100000"), block.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TrainConfig.load("no-such-preset", List.of()));
        String[][] bad = {
            {"architecture=llama,n_kv_head=3", "n_head 4 is not a multiple of n_kv_head 3"},
            {"architecture=llama,n_embd=12,n_head=4", "even head size"},
            {"dropout=1", "dropout must be in [0, 1)"},
            {"dropout=-0.1", "dropout must be in [0, 1)"},
            {"architecture=mamba", "architecture must be gpt2 or llama, not 'mamba'"},
            {"n_kv_head=2", "n_kv_head applies only to architecture=llama"},
            {"rope_theta=500", "rope_theta applies only to architecture=llama"},
            {"architecture=llama,positional=learned", "positional does not apply to architecture=llama"},
            {"architecture=llama,bias=true", "architecture=llama has no biases"},
            {"architecture=llama,n_kv_head=1.5", "n_kv_head must be an integer"},
        };
        for (String[] b : bad) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TrainConfig.load("shakespeare-char-baby", List.of(b[0].split(","))), b[0]);
            assertTrue(e.getMessage().contains(b[1]), b[0] + ": " + e.getMessage());
        }
        assertEquals(352, TrainConfig.load("shakespeare-char-llama-baby", List.of()).modelConfig(65).mlpHidden(),
                "llama2.c's rule: 2/3 · 4 · 128 rounded up to 32");
        assertEquals(2, TrainConfig.load("shakespeare-char-llama-baby", List.of()).modelConfig(65).kvHeads());
        Path file = Files.writeString(tmp.resolve("cfg.json"), "{\"max_iters\": 3, \"lerning_rate\": 1}");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainConfig.load(file.toString(), List.of()))
                .getMessage().contains("'lerning_rate'"));
        Path run = tmp.resolve("twice");
        train(run, tiny(c, "max_iters=2"), false);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> train(run, tiny(c, "max_iters=2"), false))
                .getMessage().contains("--resume"));
        assertFalse(Files.exists(tmp.resolve("nothing")));
    }
}
