package org.autoreg.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 a real training process, resume it, and get the uninterrupted run's loss curve exactly. */
class KillResumeTest {
    @TempDir
    Path tmp;

    private Process start(Path run, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.autoreg.train.cli.TrainCommand", "--out",
                run.toString()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve(run.getFileName() + ".log")
                .toFile()).start();
    }


    @Test
    void killedAndResumedRunContinuesExactly() throws Exception {
        Path corpus = TrainerTest.corpus(tmp);
        // a Llama with dropout: the masks' generator state must survive the kill too
        List<String> sets = TrainerTest.tiny(corpus, "max_iters=20000", "lr_decay_iters=3000", "eval_interval=100",
                "architecture=llama", "n_kv_head=1", "dropout=0.1");
        Path cfg = TrainerTest.configFile(tmp, sets);

        Path run = tmp.resolve("killed");
        Process p = start(run, "--config", cfg.toString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (TrainerTest.checkpointIter(run) < 100 && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(p.isAlive(), "the run was still going when killed: " + Files.readString(tmp.resolve("killed.log")));
        p.destroyForcibly(); // SIGKILL: no shutdown hooks, no final save
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertNotEquals(0, p.exitValue());
        assertFalse(Files.exists(run.resolve("final.json")), "killed before the end");
        int at = TrainerTest.checkpointIter(run);
        assertTrue(at >= 100 && at < 20000, "checkpoint at " + at);

        int end = at + 200;                                     // wherever the kill landed, 200 more steps
        Process r = start(run, "--resume", "--set", "max_iters=" + end);
        assertTrue(r.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, r.exitValue(), Files.readString(tmp.resolve("killed.log")));

        Path reference = tmp.resolve("reference");
        TrainerTest.train(reference, TrainerTest.tiny(corpus, "max_iters=" + end, "lr_decay_iters=3000",
                "eval_interval=100", "architecture=llama", "n_kv_head=1", "dropout=0.1"), false);
        List<String> expected = TrainerTest.trainLosses(reference);
        assertEquals(end, expected.size());
        assertEquals(expected, TrainerTest.trainLosses(run), "bit-identical losses after kill -9 and resume at " + at);
    }
}
