import java.util.concurrent.atomic.AtomicLong;

/**
 * The round trip of one cache line between two cores: two threads take turns incrementing one
 * counter, 2 million times each. On the 2-vCPU benchmark VM it reads ~50 ns when the host keeps
 * the vCPUs close and ~400 ns when it places them far apart, which is what makes two-thread
 * word2vec (hogwild) runs swing (BENCHMARKS.md). Run: {@code java bench/word2vec/PingPong.java}.
 */
public class PingPong {
    public static void main(String[] args) throws InterruptedException {
        AtomicLong turn = new AtomicLong();
        long n = 2_000_000;
        Thread other = new Thread(() -> {
            for (long i = 1; i < 2 * n; i += 2) {
                while (turn.get() != i) {
                    Thread.onSpinWait();
                }
                turn.set(i + 1);
            }
        });
        other.start();
        long t0 = System.nanoTime();
        for (long i = 0; i < 2 * n; i += 2) {
            while (turn.get() != i) {
                Thread.onSpinWait();
            }
            turn.set(i + 1);
        }
        other.join();
        System.out.printf("round trip %.0f ns%n", (System.nanoTime() - t0) / (double) n);
    }
}
