package org.autoreg.generate.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.autoreg.core.Rng;
import org.autoreg.generate.Completion;
import org.autoreg.generate.GenerationConfig;
import org.autoreg.generate.GenerationException;
import org.autoreg.generate.Generator;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OpenAI-compatible HTTP server over a {@link Generator}: {@code GET /health},
 * {@code GET /v1/models}, {@code POST /v1/completions}, {@code POST /v1/chat/completions}
 * (non-streaming, or server-sent events ending with {@code data: [DONE]}), and a playground page
 * at {@code GET /}. Generation runs on a fixed pool of {@code maxConcurrency} workers behind a
 * queue of {@code maxQueue} requests; beyond that a request is refused at once with 429. Errors are
 * OpenAI's JSON shape, never a stack trace. {@link #close()} drains: requests in flight finish,
 * new ones get 503.
 */
public final class OpenAiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OpenAiServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * How to serve.
     *
     * @param maxBodyBytes     larger request bodies get 413
     * @param defaultMaxTokens max_tokens when a request gives none (capped by {@code maxTokensLimit})
     * @param seed             seeds the sampling of requests that give no seed, in arrival order
     * @param maxTokensLimit   the most tokens one request may ask for (max_tokens, max_completion_tokens);
     *                         more is a 400 naming the limit
     * @param requestTimeoutS  seconds a request may take from its arrival (queue included); past them its
     *                         generation stops, the worker is freed and the client gets an error
     * @param drainTimeoutS    seconds {@link #close()} lets requests in flight finish before cancelling them
     */
    public record Options(String host, int port, String apiKey, int maxConcurrency, int maxQueue, long maxBodyBytes,
            String modelName, int defaultMaxTokens, long seed, int maxTokensLimit, double requestTimeoutS,
            double drainTimeoutS) {
        /** The default limit of tokens per request. */
        public static final int MAX_TOKENS_LIMIT = 4096;
        /** The default request timeout, seconds. */
        public static final double REQUEST_TIMEOUT_S = 600;
        /** The default drain timeout, seconds. */
        public static final double DRAIN_TIMEOUT_S = 30;

        public Options {
            if (maxConcurrency < 1 || maxQueue < 0 || maxBodyBytes < 1 || defaultMaxTokens < 1 || maxTokensLimit < 1
                    || !(requestTimeoutS > 0) || !(drainTimeoutS >= 0)) {
                throw new IllegalArgumentException("serve: max-concurrency ≥ 1, max-queue ≥ 0, body limit ≥ 1, "
                        + "default max tokens ≥ 1, max-tokens-limit ≥ 1, request-timeout > 0 and drain-timeout ≥ 0 are "
                        + "required");
            }
        }

        /** Options with the default limits: {@value #MAX_TOKENS_LIMIT} tokens, 600 s a request, 30 s of drain. */
        public Options(String host, int port, String apiKey, int maxConcurrency, int maxQueue, long maxBodyBytes,
                String modelName, int defaultMaxTokens, long seed) {
            this(host, port, apiKey, maxConcurrency, maxQueue, maxBodyBytes, modelName, defaultMaxTokens, seed,
                    MAX_TOKENS_LIMIT, REQUEST_TIMEOUT_S, DRAIN_TIMEOUT_S);
        }

        /** Loopback, the given port (0: any free one), no key, 2 workers, a queue of 64, 1 MB bodies. */
        public static Options defaults(String modelName, int port) {
            return new Options("127.0.0.1", port, null, 2, 64, 1 << 20, modelName, 256, 1337);
        }
    }

    private final Generator generator;
    private final Options options;
    private final ThreadPoolExecutor workers;
    private final Javalin app;
    private final Rng seeds;
    private final long created = System.currentTimeMillis() / 1000;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong cancelled = new AtomicLong();
    /** Requests submitted and not yet answered: the drain cancels what is left of them. */
    private final java.util.Set<Job> active = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean draining;

    private OpenAiServer(Generator generator, Options options) {
        this.generator = generator;
        this.options = options;
        this.seeds = new Rng(options.seed());
        this.workers = new ThreadPoolExecutor(options.maxConcurrency(), options.maxConcurrency(), 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(Math.max(1, options.maxQueue())), r -> {
                    Thread t = new Thread(r, "autoreg-generate");
                    t.setDaemon(true);
                    return t;
                });
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.threadPool = new QueuedThreadPool(options.maxConcurrency() + options.maxQueue() + 16, 4);
            config.http.maxRequestSize = options.maxBodyBytes() + 1;
            config.routes.before("/v1/*", this::authorize);
            config.routes.get("/health", this::health);
            config.routes.get("/v1/models", this::models);
            config.routes.post("/v1/completions", ctx -> complete(ctx, false));
            config.routes.post("/v1/chat/completions", ctx -> complete(ctx, true));
            config.routes.get("/", ctx -> ctx.contentType("text/html; charset=utf-8").result(Playground.html()));
            config.routes.exception(ApiError.class, (e, ctx) -> error(ctx, e));
            config.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("request {} {} failed", ctx.method(), ctx.path(), e);
                error(ctx, new ApiError(500, "server_error", null, null, "internal error: "
                        + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())));
            });
            config.routes.error(404, "*", ctx -> {
                if (!ctx.result().startsWith("{\"error\"")) {
                    error(ctx, new ApiError(404, "invalid_request_error", null, "not_found", "no route "
                            + ctx.method() + " " + ctx.path() + "; see GET /v1/models, POST /v1/completions, "
                            + "POST /v1/chat/completions"));
                }
            });
            config.routes.error(405, "*", ctx -> error(ctx, new ApiError(405, "invalid_request_error", null, null,
                    ctx.method() + " is not allowed on " + ctx.path())));
        });
    }

    /** Starts serving {@code generator}; returns once the port is bound. */
    public static OpenAiServer start(Generator generator, Options options) {
        OpenAiServer s = new OpenAiServer(generator, options);
        s.app.start(options.host(), options.port());
        return s;
    }

    /** The bound port. */
    public int port() {
        return app.port();
    }

    /** Streaming requests whose client went away before the end (their generation was stopped). */
    public long cancelledStreams() {
        return cancelled.get();
    }

    /** Requests being generated or waiting for a worker. */
    public int inFlight() {
        return inFlight.get();
    }

    /**
     * Graceful stop: new requests get 503; requests in flight get up to {@code drainTimeoutS} to
     * finish, then what is left is cancelled (streams end with an error event); then the server stops.
     */
    @Override
    public void close() {
        draining = true;
        workers.shutdown();
        try {
            if (!workers.awaitTermination((long) (options.drainTimeoutS() * 1000), TimeUnit.MILLISECONDS)) {
                LOG.warn("{} requests still running after the {} s drain; cancelling them", active.size(),
                        options.drainTimeoutS());
                for (Job j : active) {
                    j.abort = Abort.SHUTDOWN;
                }
                for (Runnable queued : workers.shutdownNow()) { // interrupts the workers: generation stops at the next token
                    if (queued instanceof Future<?> f) {
                        f.cancel(false);                     // never started: its request gets 503
                    }
                }
                workers.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        try {
            while (inFlight.get() > 0 && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            Thread.sleep(250); // the last responses' final bytes leave after their handlers return
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        app.stop();
    }

    /** Why a job was stopped before its end. */
    private enum Abort {
        TIMEOUT, SHUTDOWN;

        ApiError error(Options o) {
            return this == TIMEOUT
                    ? new ApiError(408, "timeout_error", null, "request_timeout", "the request took longer than this "
                            + "server's limit of " + o.requestTimeoutS() + " s (serve --request-timeout); ask for fewer "
                            + "tokens")
                    : new ApiError(503, "server_error", null, "shutting_down", "the server shut down before the request "
                            + "finished; retry elsewhere");
        }
    }

    // ------------------------------------------------------------------ endpoints

    private void authorize(Context ctx) {
        if (options.apiKey() == null) {
            return;
        }
        String h = ctx.header("Authorization");
        if (h == null || !h.startsWith("Bearer ")) {
            throw new ApiError(401, "invalid_request_error", null, "invalid_api_key",
                    "missing API key: send the header 'Authorization: Bearer <key>'");
        }
        if (!java.security.MessageDigest.isEqual(h.substring(7).strip().getBytes(StandardCharsets.UTF_8),
                options.apiKey().getBytes(StandardCharsets.UTF_8))) {
            throw new ApiError(401, "invalid_request_error", null, "invalid_api_key", "incorrect API key");
        }
    }

    private void health(Context ctx) {
        ctx.status(draining ? 503 : 200).contentType("application/json")
                .result("{\"status\":\"" + (draining ? "draining" : "ok") + "\"}");
    }

    private void models(Context ctx) throws IOException {
        ObjectNode o = JSON.createObjectNode().put("object", "list");
        o.putArray("data").addObject().put("id", options.modelName()).put("object", "model").put("created", created)
                .put("owned_by", "autoreg");
        json(ctx, 200, o);
    }

    private void complete(Context ctx, boolean chat) throws Exception {
        if (draining) {
            throw new ApiError(503, "server_error", null, "shutting_down", "the server is shutting down; retry elsewhere");
        }
        JsonNode body = readBody(ctx);
        CompletionRequest req = CompletionRequest.parse(body, chat, options.defaultMaxTokens(), options.maxTokensLimit());
        if (req.model() != null && !req.model().equals(options.modelName())) {
            throw new ApiError(404, "invalid_request_error", "model", "model_not_found", "the model '" + req.model()
                    + "' does not exist; this server serves '" + options.modelName() + "' (GET /v1/models)");
        }
        int[] prompt = chat ? generator.tokenizer().encodeChat(req.messages(), true) : generator.encodePrompt(req.prompt());
        int block = generator.model().config().blockSize();
        if (prompt.length > block) {
            throw new ApiError(400, "invalid_request_error", chat ? "messages" : "prompt", "context_length_exceeded",
                    "this model's context is " + block + " tokens, but the " + (chat ? "messages" : "prompt") + " take "
                    + prompt.length + "; shorten the input");
        }
        long seed;
        synchronized (seeds) {
            seed = req.config().seed() != null ? req.config().seed() : seeds.nextLong();
        }
        GenerationConfig cfg = req.config().toBuilder().seed(null).numReturnSequences(null).build();
        try {
            generator.check(cfg.toBuilder().numReturnSequences(req.n()).build(), prompt.length);
        } catch (GenerationException e) {
            throw ApiError.invalid(null, e.getMessage());
        }
        String id = (chat ? "chatcmpl-" : "cmpl-") + UUID.randomUUID().toString().replace("-", "");
        Job job = new Job(ctx, chat, req, prompt, cfg, seed, id);
        long deadline = System.nanoTime() + (long) (options.requestTimeoutS() * 1e9);
        Future<List<Completion>> f;
        inFlight.incrementAndGet();
        active.add(job);
        try {
            f = workers.submit(job::run);
        } catch (RejectedExecutionException e) {
            inFlight.decrementAndGet();
            active.remove(job);
            throw draining ? new ApiError(503, "server_error", null, "shutting_down", "the server is shutting down")
                    : new ApiError(429, "rate_limit_error", null, "queue_full", "the server is busy: "
                            + options.maxConcurrency() + " requests are generating and " + options.maxQueue()
                            + " are waiting; retry later", 1);
        }
        try {
            List<Completion> out;
            try {
                out = f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                job.abort = Abort.TIMEOUT;
                f.cancel(true);                              // interrupts the worker: generation stops at the next token
                if (job.started) {
                    job.done.await(5, TimeUnit.SECONDS);     // a stream writes its error event itself
                }
                if (req.stream() && job.started) {
                    return;
                }
                throw Abort.TIMEOUT.error(options);
            } catch (java.util.concurrent.CancellationException e) {
                throw Abort.SHUTDOWN.error(options);
            }
            if (!req.stream()) {
                json(ctx, 200, response(job, out));
            }
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (job.abort != null) {
                if (req.stream()) {
                    return;                                  // the stream ended with the error event
                }
                throw job.abort.error(options);
            }
            if (c instanceof UncheckedIOException && req.stream()) {
                cancelled.incrementAndGet(); // the client went away
                return;
            }
            if (c instanceof GenerationException g) {
                throw ApiError.invalid(null, g.getMessage());
            }
            throw c instanceof Exception ex ? ex : new IllegalStateException(c);
        } finally {
            inFlight.decrementAndGet();
            active.remove(job);
        }
    }

    private JsonNode readBody(Context ctx) throws IOException {
        long limit = options.maxBodyBytes();
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) {
            throw tooLarge(limit);
        }
        byte[] bytes;
        try (InputStream in = ctx.req().getInputStream()) {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE, limit + 1));
        }
        if (bytes.length > limit) {
            throw tooLarge(limit);
        }
        try {
            return JSON.readTree(bytes);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiError.invalid(null, "the body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static ApiError tooLarge(long limit) {
        return new ApiError(413, "invalid_request_error", null, "request_too_large", "the request body is larger than "
                + limit + " bytes");
    }

    // ------------------------------------------------------------------ a generation job

    /** One request's generation, run on a worker; streams its chunks itself. */
    private final class Job {
        final Context ctx;
        final boolean chat;
        final CompletionRequest req;
        final int[] prompt;
        final GenerationConfig cfg;
        final long seed;
        final String id;
        OutputStream out;
        /** Set when the job is stopped early (timeout, shutdown); read by the worker when it stops. */
        volatile Abort abort;
        volatile boolean started;
        final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);

        Job(Context ctx, boolean chat, CompletionRequest req, int[] prompt, GenerationConfig cfg, long seed, String id) {
            this.ctx = ctx;
            this.chat = chat;
            this.req = req;
            this.prompt = prompt;
            this.cfg = cfg;
            this.seed = seed;
            this.id = id;
        }

        List<Completion> run() throws IOException {
            started = true;
            try {
                return generate();
            } catch (RuntimeException e) {
                Abort a = abort;
                if (a != null && out != null) {              // a stream stopped early: say why, then end it
                    Thread.interrupted();
                    ApiError err = a.error(options);
                    ObjectNode o = JSON.createObjectNode();
                    o.putObject("error").put("message", err.getMessage()).put("type", err.type).putNull("param")
                            .put("code", err.code);
                    try {
                        write("data: " + o + "\n\n");
                        write("data: [DONE]\n\n");
                    } catch (UncheckedIOException ignored) {
                        // the client is gone too
                    }
                }
                throw e;
            } finally {
                done.countDown();
            }
        }

        private List<Completion> generate() throws IOException {
            if (req.stream()) {
                ctx.status(200).contentType("text/event-stream; charset=utf-8").header("Cache-Control", "no-cache")
                        .header("X-Accel-Buffering", "no");
                out = ctx.outputStream();
            }
            Rng seqSeeds = new Rng(seed);
            List<Completion> results = new ArrayList<>();
            for (int i = 0; i < req.n(); i++) {
                int index = i;
                GenerationConfig one = cfg.toBuilder().seed(seqSeeds.nextLong()).build();
                if (chat && req.stream()) {
                    send(chunk(index, JSON.createObjectNode().put("role", "assistant").put("content", ""), null));
                }
                Generator.TextStreamer streamer = !req.stream() ? null
                        : (seq, delta) -> send(chat ? chunk(index, JSON.createObjectNode().put("content", delta), null)
                                : textChunk(index, delta, null));
                Completion c = chat ? generator.chat(req.messages(), one, streamer)
                        : generator.generate(prompt, one, streamer).get(0);
                results.add(c);
                if (req.stream()) {
                    String reason = c.finishReason().openAiName();
                    send(chat ? chunk(index, JSON.createObjectNode(), reason) : textChunk(index, "", reason));
                }
            }
            if (req.stream()) {
                if (req.includeUsage()) {
                    ObjectNode u = base(chat ? "chat.completion.chunk" : "text_completion");
                    u.putArray("choices");
                    u.set("usage", usage(results));
                    send(u);
                }
                write("data: [DONE]\n\n");
            }
            return results;
        }

        private ObjectNode base(String object) {
            ObjectNode o = JSON.createObjectNode().put("id", id).put("object", object)
                    .put("created", System.currentTimeMillis() / 1000).put("model", options.modelName());
            return o;
        }

        /** A chat.completion.chunk with one choice's delta. */
        private ObjectNode chunk(int index, ObjectNode delta, String finish) {
            ObjectNode o = base("chat.completion.chunk");
            ObjectNode c = o.putArray("choices").addObject().put("index", index);
            c.set("delta", delta);
            ending(c, finish);
            return o;
        }

        /** A streamed text_completion with one choice's new text. */
        private ObjectNode textChunk(int index, String text, String finish) {
            ObjectNode o = base("text_completion");
            ending(o.putArray("choices").addObject().put("index", index).put("text", text), finish);
            return o;
        }

        private ObjectNode usage(List<Completion> results) {
            int completion = results.stream().mapToInt(Completion::completionTokens).sum();
            return JSON.createObjectNode().put("prompt_tokens", prompt.length).put("completion_tokens", completion)
                    .put("total_tokens", prompt.length + completion);
        }

        private void send(ObjectNode chunk) {
            try {
                write("data: " + JSON.writeValueAsString(chunk) + "\n\n");
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        private void write(String s) {
            try {
                out.write(s.getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("the client disconnected", e);
            }
        }
    }

    private ObjectNode response(Job job, List<Completion> results) {
        ObjectNode o = job.base(job.chat ? "chat.completion" : "text_completion");
        ArrayNode choices = o.putArray("choices");
        for (int i = 0; i < results.size(); i++) {
            Completion c = results.get(i);
            ObjectNode ch = choices.addObject().put("index", i);
            if (job.chat) {
                ch.putObject("message").put("role", "assistant").put("content", c.text());
            } else {
                ch.put("text", c.text());
            }
            ending(ch, c.finishReason().openAiName());
        }
        o.set("usage", job.usage(results));
        return o;
    }

    // ------------------------------------------------------------------ responses

    /** A choice's {@code logprobs} (always null) and {@code finish_reason} (null while it streams). */
    private static void ending(ObjectNode choice, String finish) {
        choice.putNull("logprobs");
        if (finish == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finish);
        }
    }

    private static void json(Context ctx, int status, JsonNode body) throws IOException {
        ctx.status(status).contentType("application/json").result(JSON.writeValueAsString(body));
    }

    private static void error(Context ctx, ApiError e) {
        ObjectNode o = JSON.createObjectNode();
        ObjectNode err = o.putObject("error").put("message", e.getMessage()).put("type", e.type);
        if (e.param == null) {
            err.putNull("param");
        } else {
            err.put("param", e.param);
        }
        if (e.code == null) {
            err.putNull("code");
        } else {
            err.put("code", e.code);
        }
        if (e.retryAfterSeconds != null) {
            ctx.header("Retry-After", String.valueOf(e.retryAfterSeconds));
        }
        ctx.status(e.status).contentType("application/json").result(o.toString());
    }
}
