package org.autoreg.generate.cli;

import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.autoreg.generate.Generator;
import org.autoreg.generate.server.LoadTest;
import org.autoreg.generate.server.OpenAiServer;
import org.autoreg.tokenizer.cli.Cli;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code autoreg serve}: an OpenAI-compatible HTTP server for a model directory. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serve a model over HTTP with the OpenAI API (/v1/completions, /v1/chat/completions, SSE "
            + "streaming) and a playground page at /.",
            "Example: autoreg serve --model runs/quickstart/best --port 8080"})
public final class ServeCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR") Path model;
    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Interface to bind (default ${DEFAULT-VALUE}; "
            + "0.0.0.0 exposes the server to the network).") String host;
    @Option(names = "--port", defaultValue = "8080") int port;
    @Option(names = "--api-key", paramLabel = "KEY", description = "Require 'Authorization: Bearer KEY' "
            + "(default: $AUTOREG_API_KEY if set, else no key).") String apiKey;
    @Option(names = "--max-concurrency", paramLabel = "N", description = "Batch workers (threads), each advancing "
            + "up to --max-batch sequences per step (default: the number of cores).") Integer maxConcurrency;
    @Option(names = "--max-batch", paramLabel = "N", defaultValue = "32", description = "The most sequences one "
            + "worker advances together, one forward pass per step (a request's n counts n; default "
            + "${DEFAULT-VALUE}).") int maxBatch;
    @Option(names = "--max-queue", paramLabel = "N", defaultValue = "64", description = "Requests waiting for room "
            + "in a batch; beyond that 429 (default ${DEFAULT-VALUE}).") int maxQueue;
    @Option(names = "--max-body-bytes", defaultValue = "1048576", description = "Larger bodies get 413.") long maxBody;
    @Option(names = "--model-name", description = "The model id clients pass (default: the directory's name).") String name;
    @Option(names = "--default-max-tokens", defaultValue = "256", description = "max_tokens of a request that gives "
            + "none (capped by --max-tokens-limit).") int defaultMaxTokens;
    @Option(names = "--max-tokens-limit", defaultValue = "4096", paramLabel = "N", description = "The most tokens one "
            + "request may ask for; more is a 400 naming this limit (default: ${DEFAULT-VALUE}).") int maxTokensLimit;
    @Option(names = "--seed", defaultValue = "1337", description = "Seeds requests that give no seed.") long seed;
    @Option(names = "--request-timeout", defaultValue = "600", paramLabel = "S", description = "Seconds a request may "
            + "take (queue included); then its generation stops and the client gets an error (default: ${DEFAULT-VALUE}).")
    double requestTimeout;
    @Option(names = "--drain-timeout", defaultValue = "30", paramLabel = "S", description = "On SIGTERM, seconds for "
            + "requests in flight to finish before they are cancelled (default: ${DEFAULT-VALUE}).") double drainTimeout;
    @Option(names = "--bench", description = "Instead of serving: start on a free loopback port, run a load test "
            + "for each of --clients (that many concurrent streaming chat clients sending --requests in all, at "
            + "least --requests-per-client each, of up to --max-tokens tokens) after a warm-up, print one line per "
            + "client count.")
    boolean bench;
    @Option(names = "--clients", defaultValue = "1,4,16,32,64", split = ",", paramLabel = "N,N,...") int[] clients;
    @Option(names = "--requests", defaultValue = "64", paramLabel = "N") int requests;
    @Option(names = "--warmup", defaultValue = "20", paramLabel = "S", description = "Seconds of load before the "
            + "measured runs (default ${DEFAULT-VALUE}).") int warmup;
    @Option(names = "--requests-per-client", defaultValue = "4", paramLabel = "N") int requestsPerClient;
    @Option(names = "--max-tokens", defaultValue = "64") int benchTokens;

    @Override
    public Integer call() throws Exception {
        String key = apiKey != null ? apiKey : System.getenv("AUTOREG_API_KEY");
        OpenAiServer.Options o;
        try {
            o = new OpenAiServer.Options(host, port, key, maxConcurrency != null ? maxConcurrency
                    : Runtime.getRuntime().availableProcessors(), maxQueue, maxBody,
                    name != null ? name : model.toAbsolutePath().normalize().getFileName().toString(), defaultMaxTokens, seed,
                    maxTokensLimit, requestTimeout, drainTimeout, maxBatch);
        } catch (IllegalArgumentException e) {
            throw new Cli.UsageException(e.getMessage());
        }
        Generator g = Generator.load(model, msg -> System.err.println("warning: " + msg));
        if (bench) {
            return bench(g, o);
        }
        OpenAiServer server;
        try {
            server = OpenAiServer.start(g, o);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot listen on " + host + ":" + port + " (" + e.getMessage()
                    + "); is another server using it? choose another --port");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.printf("autoreg serve: stopping (requests in flight get %s s to finish)%n", o.drainTimeoutS());
            server.close();
            stopped.countDown();
            System.err.flush();
            Runtime.getRuntime().halt(0);                    // a drained stop is a clean exit, not 143
        }, "autoreg-serve-shutdown"));
        System.err.printf("autoreg serve: model '%s' on http://%s:%d/ (playground), OpenAI API at http://%s:%d/v1%s; "
                + "%d workers, queue %d. Ctrl-C stops.%n", o.modelName(), host, server.port(), host, server.port(),
                key != null ? " (API key required)" : "", o.maxConcurrency(), o.maxQueue());
        stopped.await();
        return 0;
    }

    /** The load test at each client count, against one server in this process. */
    private int bench(Generator g, OpenAiServer.Options o) throws InterruptedException {
        int most = java.util.Arrays.stream(clients).max().orElse(1);
        OpenAiServer s = OpenAiServer.start(g, new OpenAiServer.Options("127.0.0.1", 0, o.apiKey(), o.maxConcurrency(),
                Math.max(o.maxQueue(), most), o.maxBodyBytes(), o.modelName(), o.defaultMaxTokens(), o.seed(),
                o.maxTokensLimit(), o.requestTimeoutS(), o.drainTimeoutS(), o.maxBatch()));
        int failed = 0;
        try {
            System.out.printf("streaming chat, up to %d tokens a request, %d requests (at least %d per client) after "
                    + "%d s of warm-up; %d workers × batch %d%n", benchTokens, requests, requestsPerClient, warmup,
                    o.maxConcurrency(), o.maxBatch());
            URI base = URI.create("http://127.0.0.1:" + s.port());
            LoadTest.run(base, o.apiKey(), o.modelName(), most, Integer.MAX_VALUE, benchTokens,
                    java.time.Duration.ofSeconds(warmup));       // warm-up: the JIT compiles the paths measured
            System.out.println("clients  requests  failed  wall s  tokens/s  p50 ms  p99 ms  peak RSS MB");
            for (int c : clients) {
                LoadTest.Result r = LoadTest.run(base, o.apiKey(), o.modelName(), c,
                        Math.max(requests, c * requestsPerClient), benchTokens, java.time.Duration.ofMinutes(10));
                System.out.printf("%7d  %8d  %6d  %6.1f  %8.0f  %6.0f  %6.0f  %11d%n", c, r.requests(), r.failures(),
                        r.seconds(), r.tokensPerSecond(), r.p50Ms(), r.p99Ms(), org.autoreg.core.SystemStats.peakRssMb());
                r.errors().stream().limit(5).forEach(e -> System.out.println("  " + e));
                failed += r.failures();
            }
            return failed == 0 ? 0 : 1;
        } finally {
            s.close();
        }
    }
}
