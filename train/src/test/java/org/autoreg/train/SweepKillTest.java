package org.autoreg.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 a real sweep in the middle of its second run, start it again: no run is trained twice. */
class SweepKillTest {
    @TempDir
    Path tmp;

    private Process start(Path dir, Path cfg, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.autoreg.train.cli.TrainCommand", "--config",
                cfg.toString(), "--sweep", "learning_rate=0.01,0.003", "--sweep", "seed=1,2", "--threads", "1",
                "--out", dir.toString()));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }


    private static long count(List<String> events, String run, String event) {
        return events.stream().filter(l -> l.contains("\"run\":\"" + run + "\"") && l.contains("\"event\":\"" + event
                + "\"")).count();
    }

    @Test
    void aKilledSweepResumesWithoutTrainingAnyRunTwice() throws Exception {
        Path corpus = TrainerTest.corpus(tmp);
        List<String> sets = TrainerTest.tiny(corpus, "max_iters=3000", "lr_decay_iters=3000", "eval_interval=100",
                "log_interval=10");
        Path cfg = TrainerTest.configFile(tmp, sets);
        Path dir = tmp.resolve("sweep");
        Path first = dir.resolve("learning_rate=0.01,seed=1");
        Path second = dir.resolve("learning_rate=0.01,seed=2");

        Process p = start(dir, cfg, tmp.resolve("1.log"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (TrainerTest.checkpointIter(second) < 200 && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(p.isAlive(), "the sweep was still going when killed: " + Files.readString(tmp.resolve("1.log")));
        p.destroyForcibly(); // SIGKILL
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        int at = TrainerTest.checkpointIter(second);
        assertTrue(at >= 200 && at < 3000, "killed in the second run, checkpoint at " + at);
        assertTrue(Files.isRegularFile(first.resolve("final.json")), "the first run had finished");
        byte[] firstFinal = Files.readAllBytes(first.resolve("final.json"));

        Process again = start(dir, cfg, tmp.resolve("2.log"));
        assertTrue(again.waitFor(300, TimeUnit.SECONDS));
        assertEquals(0, again.exitValue(), Files.readString(tmp.resolve("2.log")));

        List<String> events = Files.readAllLines(dir.resolve("sweep.jsonl"));
        String[] runs = {"learning_rate=0.01,seed=1", "learning_rate=0.01,seed=2", "learning_rate=0.003,seed=1",
            "learning_rate=0.003,seed=2"};
        for (String r : runs) {
            assertEquals(1, count(events, r, "start"), r + " started once: " + events);
            assertEquals(1, count(events, r, "finish"), r + " finished once: " + events);
            assertTrue(Files.isRegularFile(dir.resolve(r).resolve("final.json")), r);
        }
        assertEquals(1, count(events, runs[0], "skip"));
        assertEquals(1, count(events, runs[1], "resume"));
        assertArrayEquals(firstFinal, Files.readAllBytes(first.resolve("final.json")), "the finished run was left alone");
        String table = Files.readString(dir.resolve("compare.txt"));
        assertTrue(table.contains("differing config keys: learning_rate, seed"), table);

        // the resumed run's curve is the uninterrupted one's
        Path reference = tmp.resolve("reference");
        TrainConfig c = TrainConfig.load(cfg.toString(), List.of("seed=2", "learning_rate=0.01"));
        new Trainer(c, reference, new org.autoreg.core.data.CorpusCatalog(org.autoreg.core.data.CorpusCatalog.BUILT_IN,
                tmp.resolve("cache"), null), new java.io.PrintStream(java.io.OutputStream.nullOutputStream()),
                Progress.silent(), 1).run(false);
        assertEquals(TrainerTest.trainLosses(reference), TrainerTest.trainLosses(second));
    }
}
