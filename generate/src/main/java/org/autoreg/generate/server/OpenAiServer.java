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
import org.autoreg.generate.BatchGenerator;
import org.autoreg.generate.Completion;
import org.autoreg.generate.GenerationConfig;
import org.autoreg.generate.GenerationException;
import org.autoreg.generate.Generator;
import org.autoreg.generate.TokenLogprob;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OpenAI-compatible HTTP server over a {@link Generator}: {@code GET /health},
 * {@code GET /v1/models}, {@code POST /v1/completions}, {@code POST /v1/chat/completions}
 * (non-streaming, or server-sent events ending with {@code data: [DONE]}; {@code logprobs} in
 * OpenAI's shapes), and a playground page at {@code GET /}. Generation is continuously batched
 * ({@link BatchGenerator}): the sequences of all requests advance together, one forward pass per
 * step on each of {@code maxConcurrency} workers, up to {@code maxBatch} sequences each; further
 * requests wait in a queue of {@code maxQueue}, beyond which they are refused at once with 429.
 * Each request is bounded ({@code maxTokensLimit} tokens, {@code requestTimeoutS} seconds) and
 * stops when its client goes away. Errors are OpenAI's JSON shape, never a stack trace.
 * {@link #close()} drains: requests in flight get {@code drainTimeoutS} to finish, new ones get 503.
 */
public final class OpenAiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OpenAiServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * How to serve.
     *
     * @param maxConcurrency   batch workers (threads), each advancing up to {@code maxBatch} sequences per step
     * @param maxQueue         requests that may wait for room; more get 429
     * @param maxBodyBytes     larger request bodies get 413
     * @param defaultMaxTokens max_tokens when a request gives none (capped by {@code maxTokensLimit})
     * @param seed             seeds the sampling of requests that give no seed, in arrival order
     * @param maxTokensLimit   the most tokens one request may ask for (max_tokens, max_completion_tokens);
     *                         more is a 400 naming the limit
     * @param requestTimeoutS  seconds a request may take from its arrival (queue included); past them its
     *                         generation stops and the client gets an error
     * @param drainTimeoutS    seconds {@link #close()} lets requests in flight finish before cancelling them
     * @param maxBatch         the most sequences one worker advances in one step (a request's n counts n)
     */
    public record Options(String host, int port, String apiKey, int maxConcurrency, int maxQueue, long maxBodyBytes,
            String modelName, int defaultMaxTokens, long seed, int maxTokensLimit, double requestTimeoutS,
            double drainTimeoutS, int maxBatch) {
        /** The default limit of tokens per request. */
        public static final int MAX_TOKENS_LIMIT = 4096;
        /** The default request timeout, seconds. */
        public static final double REQUEST_TIMEOUT_S = 600;
        /** The default drain timeout, seconds. */
        public static final double DRAIN_TIMEOUT_S = 30;
        /** The default batch size. */
        public static final int MAX_BATCH = 32;

        public Options {
            if (maxConcurrency < 1 || maxQueue < 0 || maxBodyBytes < 1 || defaultMaxTokens < 1 || maxTokensLimit < 1
                    || !(requestTimeoutS > 0) || !(drainTimeoutS >= 0) || maxBatch < 1) {
                throw new IllegalArgumentException("serve: max-concurrency ≥ 1, max-queue ≥ 0, body limit ≥ 1, "
                        + "default max tokens ≥ 1, max-tokens-limit ≥ 1, request-timeout > 0, drain-timeout ≥ 0 and "
                        + "max-batch ≥ 1 are required");
            }
        }

        /** Options with the default limits: {@value #MAX_TOKENS_LIMIT} tokens, 600 s a request, 30 s of drain, batches of 32. */
        public Options(String host, int port, String apiKey, int maxConcurrency, int maxQueue, long maxBodyBytes,
                String modelName, int defaultMaxTokens, long seed) {
            this(host, port, apiKey, maxConcurrency, maxQueue, maxBodyBytes, modelName, defaultMaxTokens, seed,
                    MAX_TOKENS_LIMIT, REQUEST_TIMEOUT_S, DRAIN_TIMEOUT_S, MAX_BATCH);
        }

        /** Loopback, the given port (0: any free one), no key, 2 workers, a queue of 64, 1 MB bodies. */
        public static Options defaults(String modelName, int port) {
            return new Options("127.0.0.1", port, null, 2, 64, 1 << 20, modelName, 256, 1337);
        }
    }

    private final Generator generator;
    private final Options options;
    private final BatchGenerator batcher;
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
        this.batcher = new BatchGenerator(generator, options.maxConcurrency(), options.maxBatch(), options.maxQueue());
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.threadPool = new QueuedThreadPool(options.maxConcurrency() * options.maxBatch()
                    + options.maxQueue() + 16, 4);
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
        try {
            s.app.start(options.host(), options.port());
        } catch (RuntimeException e) {
            s.batcher.close();
            throw e;
        }
        return s;
    }

    /** The bound port. */
    public int port() {
        return app.port();
    }

    /** Requests whose client went away before the end (their generation was stopped). */
    public long cancelledStreams() {
        return cancelled.get();
    }

    /** Requests being generated or waiting for room. */
    public int inFlight() {
        return inFlight.get();
    }

    /**
     * Graceful stop: new requests get 503; requests in flight get up to {@code drainTimeoutS} to
     * finish, then what is left is cancelled (503, or a stream's final error event); then the
     * server stops.
     */
    @Override
    public void close() {
        draining = true;
        long until = System.nanoTime() + (long) (options.drainTimeoutS() * 1e9);
        try {
            while (inFlight.get() > 0 && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            if (inFlight.get() > 0) {
                LOG.warn("{} requests still running after the {} s drain; cancelling them", active.size(),
                        options.drainTimeoutS());
                active.forEach(j -> j.stop(Abort.SHUTDOWN));
                long grace = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (inFlight.get() > 0 && System.nanoTime() < grace) {
                    Thread.sleep(5);
                }
            }
            batcher.close();
            Thread.sleep(250); // the last responses' final bytes leave after their handlers return
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        app.stop();
    }

    /** Why a request was stopped before its end. */
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
        long deadline = System.nanoTime() + (long) (options.requestTimeoutS() * 1e9);
        JsonNode body = readBody(ctx);
        CompletionRequest req = CompletionRequest.parse(body, chat, options.defaultMaxTokens(), options.maxTokensLimit());
        if (req.model() != null && !req.model().equals(options.modelName())) {
            throw new ApiError(404, "invalid_request_error", "model", "model_not_found", "the model '" + req.model()
                    + "' does not exist; this server serves '" + options.modelName() + "' (GET /v1/models)");
        }
        if (req.n() > options.maxBatch()) {
            throw ApiError.invalid("n", "n is " + req.n() + ", but this server advances at most " + options.maxBatch()
                    + " sequences together (serve --max-batch); ask for fewer");
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
        GenerationConfig cfg = req.config().toBuilder().seed(seed).numReturnSequences(req.n()).build();
        if (chat) {
            cfg = generator.chatRequest(cfg);
        }
        String id = (chat ? "chatcmpl-" : "cmpl-") + UUID.randomUUID().toString().replace("-", "");
        Job job = new Job(ctx, chat, req, prompt, id, deadline);
        inFlight.incrementAndGet();
        active.add(job);
        try {
            try {
                job.handle = batcher.submit(prompt, cfg, req.logprobs(), job);
            } catch (GenerationException e) {
                throw ApiError.invalid(null, e.getMessage());
            } catch (RejectedExecutionException e) {
                throw draining ? new ApiError(503, "server_error", null, "shutting_down", "the server is shutting down")
                        : new ApiError(429, "rate_limit_error", null, "queue_full", "the server is busy: "
                                + batcher.activeSequences() + " sequences are generating and " + batcher.waiting()
                                + " requests are waiting; retry later", 1);
            }
            job.serve();
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

    // ------------------------------------------------------------------ a request being answered

    /** What the batch loop tells a request's handler thread. */
    private sealed interface Event {
        record Text(int index, String delta, List<TokenLogprob> tokens) implements Event {
        }

        record Finish(int index, Completion completion) implements Event {
        }

        record Failed(RuntimeException error) implements Event {
        }

        record Stop(Abort why) implements Event {
        }
    }

    /**
     * One request: the batch loop generates it and posts {@link Event}s; the request's own (Jetty)
     * thread writes them to the client, so a slow client never holds up the batch, and watches the
     * deadline and the connection.
     */
    private final class Job implements BatchGenerator.Listener {
        final Context ctx;
        final boolean chat;
        final CompletionRequest req;
        final int[] prompt;
        final String id;
        final long deadline;
        final java.util.concurrent.BlockingQueue<Event> events = new java.util.concurrent.LinkedBlockingQueue<>();
        final int[] textOffset;
        volatile BatchGenerator.Handle handle;
        OutputStream out;
        ClientWatch watch;
        final StringBuilder pending = new StringBuilder();
        final long created = System.currentTimeMillis() / 1000;
        String chunkPrefix;

        Job(Context ctx, boolean chat, CompletionRequest req, int[] prompt, String id, long deadline) {
            this.ctx = ctx;
            this.chat = chat;
            this.req = req;
            this.prompt = prompt;
            this.id = id;
            this.deadline = deadline;
            this.textOffset = new int[req.n()];
        }

        @Override
        public void onText(int index, String delta, List<TokenLogprob> tokens) {
            events.add(new Event.Text(index, delta, tokens));
        }

        @Override
        public void onFinish(int index, Completion completion) {
            events.add(new Event.Finish(index, completion));
        }

        @Override
        public void onError(RuntimeException e) {
            events.add(new Event.Failed(e));
        }

        void stop(Abort why) {
            events.add(new Event.Stop(why));
        }

        /** Answers the request from its events; returns when it is answered (or its client is gone). */
        void serve() throws IOException {
            Completion[] results = new Completion[req.n()];
            int finished = 0;
            long lastLook = System.nanoTime();
            if (!req.stream()) {
                watch = ClientWatch.of(ctx);
            }
            try {
                while (finished < results.length) {
                    long left = deadline - System.nanoTime();
                    Event e = null;
                    if (out != null && events.isEmpty()) {
                        flush();                                 // nothing more at hand: send what is queued
                    }
                    try {
                        e = left <= 0 ? events.poll() : events.poll(Math.min(left, 200_000_000L), TimeUnit.NANOSECONDS);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        e = new Event.Stop(Abort.SHUTDOWN);
                    }
                    if (watch != null && System.nanoTime() - lastLook > 100_000_000L) {
                        lastLook = System.nanoTime();
                        if (watch.gone()) {
                            handle.cancel();                     // the client hung up: stop generating for it
                            cancelled.incrementAndGet();
                            return;
                        }
                    }
                    if (e == null) {
                        if (System.nanoTime() - deadline < 0) {
                            continue;
                        }
                        e = new Event.Stop(Abort.TIMEOUT);
                    }
                    if (e instanceof Event.Stop stop) {
                        handle.cancel();
                        fail(stop.why().error(options));
                        return;
                    }
                    if (e instanceof Event.Failed f) {
                        fail(f.error() instanceof GenerationException g ? ApiError.invalid(null, g.getMessage())
                                : f.error() instanceof java.util.concurrent.CancellationException
                                ? Abort.SHUTDOWN.error(options) : serverError(f.error()));
                        return;
                    }
                    if (e instanceof Event.Text t) {
                        if (req.stream()) {
                            if (req.logprobs() < 0) {
                                send(textChunk(t.index(), t.delta()));
                            } else {
                                send(delta(t.index(), t.delta(), t.tokens(), null));
                            }
                        }
                    } else if (e instanceof Event.Finish f) {
                        results[f.index()] = f.completion();
                        finished++;
                        if (req.stream()) {
                            send(delta(f.index(), null, List.of(), f.completion().finishReason().openAiName()));
                        }
                    }
                }
                if (req.stream()) {
                    if (req.includeUsage()) {
                        ObjectNode u = base(chat ? "chat.completion.chunk" : "text_completion");
                        u.putArray("choices");
                        u.set("usage", usage(List.of(results)));
                        send(u);
                    }
                    write("data: [DONE]\n\n");
                } else {
                    json(ctx, 200, response(this, List.of(results)));
                }
            } catch (UncheckedIOException gone) {
                handle.cancel();                                 // a stream's client went away
                cancelled.incrementAndGet();
            }
        }

        /** Ends the request with {@code err}: a JSON error, or a stream's final error event and [DONE]. */
        private void fail(ApiError err) {
            if (out == null) {
                throw err;
            }
            ObjectNode o = JSON.createObjectNode();
            o.putObject("error").put("message", err.getMessage()).put("type", err.type).putNull("param")
                    .put("code", err.code);
            write("data: " + o + "\n\n");
            write("data: [DONE]\n\n");
        }

        /** Opens the event stream on the first chunk (so that errors before it can still be a status code). */
        private void open() {
            if (out != null) {
                return;
            }
            ctx.status(200).contentType("text/event-stream; charset=utf-8").header("Cache-Control", "no-cache")
                    .header("X-Accel-Buffering", "no");
            out = ctx.outputStream();
            if (chat) {
                for (int i = 0; i < req.n(); i++) {
                    send(chunk(i, JSON.createObjectNode().put("role", "assistant").put("content", ""), null, null));
                }
            }
        }

        /** A streamed chunk of sequence {@code index}: new text (or none) with its tokens' logprobs, or its end. */
        private ObjectNode delta(int index, String text, List<TokenLogprob> tokens, String finish) {
            JsonNode lp = req.logprobs() < 0 ? null
                    : chat ? chatLogprobs(tokens) : completionLogprobs(tokens, textOffset, index);
            if (chat) {
                ObjectNode d = JSON.createObjectNode();
                if (text != null) {
                    d.put("content", text);
                }
                return chunk(index, d, lp, finish);
            }
            ObjectNode o = base("text_completion");
            ObjectNode c = o.putArray("choices").addObject().put("index", index).put("text", text == null ? "" : text);
            ending(c, lp, finish);
            return o;
        }

        private ObjectNode base(String object) {
            ObjectNode o = JSON.createObjectNode().put("id", id).put("object", object).put("created", created)
                    .put("model", options.modelName());
            return o;
        }

        /** A chat.completion.chunk with one choice's delta. */
        private ObjectNode chunk(int index, ObjectNode delta, JsonNode logprobs, String finish) {
            ObjectNode o = base("chat.completion.chunk");
            ObjectNode c = o.putArray("choices").addObject().put("index", index);
            c.set("delta", delta);
            ending(c, logprobs, finish);
            return o;
        }

        private ObjectNode usage(List<Completion> results) {
            int completion = results.stream().mapToInt(Completion::completionTokens).sum();
            return JSON.createObjectNode().put("prompt_tokens", prompt.length).put("completion_tokens", completion)
                    .put("total_tokens", prompt.length + completion);
        }

        /** Queues an event of the stream; {@link #flush} sends what is queued. */
        private void send(ObjectNode chunk) {
            try {
                send(JSON.writeValueAsString(chunk));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        private void send(String json) {
            open();
            pending.append("data: ").append(json).append("\n\n");
        }

        /** Queues {@code s} and sends everything queued. */
        private void write(String s) {
            pending.append(s);
            flush();
        }

        /** Sends the queued events in one write. */
        private void flush() {
            if (pending.isEmpty()) {
                return;
            }
            try {
                out.write(pending.toString().getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("the client disconnected", e);
            } finally {
                pending.setLength(0);
            }
        }

        /**
         * The chunk of new text without logprobs, the one sent for nearly every token, written
         * directly: the same JSON as {@link #delta} makes, at a fraction of the cost.
         */
        private String textChunk(int index, String text) {
            if (chunkPrefix == null) {
                chunkPrefix = "{\"id\":\"" + id + "\",\"object\":\"" + (chat ? "chat.completion.chunk" : "text_completion")
                        + "\",\"created\":" + created + ",\"model\":\"" + quote(options.modelName())
                        + "\",\"choices\":[{\"index\":";
            }
            return chunkPrefix + index + (chat ? ",\"delta\":{\"content\":\"" : ",\"text\":\"") + quote(text)
                    + (chat ? "\"}" : "\"") + ",\"logprobs\":null,\"finish_reason\":null}]}";
        }
    }

    /** {@code s} as the inside of a JSON string. */
    private static String quote(String s) {
        return new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(s));
    }

    private static ApiError serverError(RuntimeException e) {
        LOG.error("generation failed", e);
        return new ApiError(500, "server_error", null, null, "internal error: " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }

    private ObjectNode response(Job job, List<Completion> results) {
        ObjectNode o = job.base(job.chat ? "chat.completion" : "text_completion");
        ArrayNode choices = o.putArray("choices");
        int[] offsets = new int[results.size()];
        for (int i = 0; i < results.size(); i++) {
            Completion c = results.get(i);
            ObjectNode ch = choices.addObject().put("index", i);
            if (job.chat) {
                ch.putObject("message").put("role", "assistant").put("content", c.text()).putNull("refusal");
            } else {
                ch.put("text", c.text());
            }
            JsonNode lp = job.req.logprobs() < 0 ? null : job.chat ? chatLogprobs(c.logprobs())
                    : completionLogprobs(c.logprobs(), offsets, i);
            ending(ch, lp, c.finishReason().openAiName());
        }
        o.set("usage", job.usage(results));
        return o;
    }

    // ------------------------------------------------------------------ logprobs in OpenAI's shapes

    /** A token as OpenAI shows it: its text, or {@code bytes:\xNN...} when it is part of a UTF-8 character. */
    private String tokenText(int token) {
        byte[] b = generator.tokenizer().tokenBytes(token);
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(b)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            StringBuilder s = new StringBuilder("bytes:");
            for (byte x : b) {
                s.append(String.format("\\x%02x", x & 0xFF));
            }
            return s.toString();
        }
    }

    private ObjectNode chatEntry(TokenLogprob t) {
        ObjectNode e = JSON.createObjectNode().put("token", tokenText(t.token())).put("logprob", t.logprob());
        ArrayNode bytes = e.putArray("bytes");
        for (byte x : generator.tokenizer().tokenBytes(t.token())) {
            bytes.add(x & 0xFF);
        }
        return e;
    }

    /** Chat: {@code {"content": [{token, logprob, bytes, top_logprobs: [...]}], "refusal": null}}. */
    private ObjectNode chatLogprobs(List<TokenLogprob> tokens) {
        ObjectNode o = JSON.createObjectNode();
        ArrayNode content = o.putArray("content");
        for (TokenLogprob t : tokens) {
            ObjectNode e = chatEntry(t);
            ArrayNode top = e.putArray("top_logprobs");
            t.top().forEach(a -> top.add(chatEntry(a)));
            content.add(e);
        }
        o.putNull("refusal");
        return o;
    }

    /**
     * Completions: {@code {"tokens", "token_logprobs", "top_logprobs": [{token: logprob}], "text_offset"}};
     * {@code offsets[index]} carries the text offset of sequence {@code index} from call to call.
     */
    private ObjectNode completionLogprobs(List<TokenLogprob> tokens, int[] offsets, int index) {
        ObjectNode o = JSON.createObjectNode();
        ArrayNode text = o.putArray("tokens");
        ArrayNode lps = o.putArray("token_logprobs");
        ArrayNode tops = o.putArray("top_logprobs");
        ArrayNode off = o.putArray("text_offset");
        for (TokenLogprob t : tokens) {
            String s = tokenText(t.token());
            text.add(s);
            lps.add(t.logprob());
            ObjectNode top = tops.addObject();
            t.top().forEach(a -> top.put(tokenText(a.token()), a.logprob()));
            off.add(offsets[index]);
            offsets[index] += s.startsWith("bytes:") ? 0 : s.length();
        }
        return o;
    }

    // ------------------------------------------------------------------ responses

    /** A choice's {@code logprobs} (null when not asked for) and {@code finish_reason} (null while it streams). */
    private static void ending(ObjectNode choice, JsonNode logprobs, String finish) {
        if (logprobs == null) {
            choice.putNull("logprobs");
        } else {
            choice.set("logprobs", logprobs);
        }
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
