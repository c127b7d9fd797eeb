/**
 * The host's own speed, with nothing of autoreg in it: two threads each walk 40 M random steps
 * through their own 16 MB table (together about the size of the VM's L3, like two-thread word2vec's
 * vectors), three times; prints the last time. Run between word2vec runs, its spread is what the
 * host alone moves (BENCHMARKS.md). Run: {@code java bench/word2vec/L3Walk.java}.
 */
public class L3Walk {
    public static void main(String[] args) throws InterruptedException {
        int threads = 2;
        int n = 1 << 22;
        int[][] next = new int[threads][n];
        java.util.Random r = new java.util.Random(1);
        for (int[] table : next) {
            for (int i = 0; i < n; i++) {
                table[i] = r.nextInt(n);
            }
        }
        long[] out = new long[threads];
        double ms = 0;
        for (int rep = 0; rep < 3; rep++) {
            long t0 = System.nanoTime();
            Thread[] ts = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                int id = t;
                ts[t] = new Thread(() -> {
                    int[] table = next[id];
                    int p = 0;
                    long s = 0;
                    for (int i = 0; i < 40_000_000; i++) {
                        p = table[p];
                        s += p * 31L + (s >>> 7);
                    }
                    out[id] = s;
                });
                ts[t].start();
            }
            for (Thread t : ts) {
                t.join();
            }
            ms = (System.nanoTime() - t0) / 1e6;
        }
        System.out.printf("walk %.0f ms (%d)%n", ms, out[0] & 1);
    }
}
