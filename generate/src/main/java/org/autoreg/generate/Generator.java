package org.autoreg.generate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.autoreg.core.ModelDirectory;
import org.autoreg.core.Rng;
import org.autoreg.core.nn.Gpt;
import org.autoreg.core.engine.Decoder;
import org.autoreg.tokenizer.ChatMessage;
import org.autoreg.tokenizer.DecodeStream;
import org.autoreg.tokenizer.SpecialTokens;
import org.autoreg.tokenizer.Tokenizer;
import org.slf4j.LoggerFactory;

/**
 * Text generation with a GPT and its tokenizer: Hugging Face's {@code model.generate()} semantics
 * (see {@link GenerationConfig}), a key/value cache, streaming, and chat.
 *
 * <pre>{@code
 * Generator g = Generator.load(Path.of("runs/baby/best"));
 * Completion c = g.generate("ROMEO:", GenerationConfig.builder().maxNewTokens(100).doSample(true).seed(7L).build()).get(0);
 * System.out.println(c.text());
 * }</pre>
 *
 * <p>Each call's settings are the model directory's {@code generation_config.json} merged with the
 * request. Pitfalls become messages: invalid values, a max_length that leaves no room, and
 * num_return_sequences &gt; 1 without sampling are {@link GenerationException}s; settings that are
 * ignored or reinterpreted (both lengths set, temperature 0, sampling knobs without do_sample, a
 * context that slides) are reported once per generator through the warning sink (by default the
 * {@code org.autoreg.generate.Generator} logger).
 *
 * <p>Thread-safe: calls may run concurrently (each sequence has its own cache over shared weights).
 */
public final class Generator {
    private final Gpt model;
    private final Tokenizer tokenizer;
    private final GenerationConfig defaults;
    private final Consumer<String> warnings;
    private final Decoder decoder;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    /** Receives generated text as it is produced. */
    @FunctionalInterface
    public interface TextStreamer {
        /**
         * New text of output {@code sequence} (0-based over all outputs of the call); never splits a
         * character. May throw to cancel generation (e.g. when a client disconnects).
         */
        void onText(int sequence, String delta);
    }

    /**
     * A generator over {@code model} and {@code tokenizer}; {@code defaults} are the base settings
     * (usually the model directory's generation config); {@code warnings} receives each warning
     * once (null: the logger).
     */
    public Generator(Gpt model, Tokenizer tokenizer, GenerationConfig defaults, Consumer<String> warnings) {
        if (tokenizer.vocabSize() > model.config().vocabSize()) {
            throw new IllegalArgumentException("the tokenizer has " + tokenizer.vocabSize() + " tokens but the model "
                    + "scores only " + model.config().vocabSize() + "; they do not belong together");
        }
        this.model = model;
        this.tokenizer = tokenizer;
        this.defaults = (defaults == null ? GenerationConfig.EMPTY : defaults).validate();
        this.warnings = warnings != null ? warnings : LoggerFactory.getLogger(Generator.class)::warn;
        this.decoder = new Decoder(model);
    }

    /** Loads the model directory {@code dir}; warnings go to the logger. */
    public static Generator load(Path dir) throws IOException {
        return load(dir, null);
    }

    /**
     * Loads the model directory {@code dir} (a GPT with its tokenizer and generation_config.json),
     * or the best checkpoint of a training run directory (saying so to {@code warnings}). A
     * directory without a language-modelling head (word vectors, an embedding-only model) is refused
     * with an explanation.
     */
    public static Generator load(Path dir, Consumer<String> warnings) throws IOException {
        ModelDirectory.Loaded m = ModelDirectory.load(ModelDirectory.resolve(dir, warnings));
        GenerationConfig defaults;
        try {
            defaults = GenerationConfig.fromJson(m.generationConfig()).validate();
        } catch (GenerationException e) {
            throw new GenerationException(m.dir().resolve(ModelDirectory.GENERATION_CONFIG) + ": " + e.getMessage());
        }
        return new Generator(m.model(), m.tokenizer(), defaults, warnings);
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public Gpt model() {
        return model;
    }

    /** The base settings every request is merged onto. */
    public GenerationConfig defaults() {
        return defaults;
    }

    /**
     * The settings a request resolves to: the defaults merged with {@code request}, checked
     * ({@link GenerationException} on an invalid value). Generation checks this itself; call it to
     * fail early.
     */
    public GenerationConfig settings(GenerationConfig request) {
        return defaults.merge(request.validate()).validate();
    }

    /**
     * Checks a request against a prompt of {@code promptLength} tokens without generating: the
     * same {@link GenerationException}s (and warnings) as {@link #generate} would give. A server
     * calls it before answering 200.
     */
    public void check(GenerationConfig request, int promptLength) {
        plan(request == null ? GenerationConfig.EMPTY : request, Math.max(1, promptLength));
    }

    // ------------------------------------------------------------------ generate

    /** Continuations of {@code prompt} (num_return_sequences of them). */
    public List<Completion> generate(String prompt, GenerationConfig request) {
        return generate(prompt, request, null);
    }

    /** Continuations of {@code prompt}, streamed to {@code streamer} (may be null) as they grow. */
    public List<Completion> generate(String prompt, GenerationConfig request, TextStreamer streamer) {
        return generate(encodePrompt(prompt), request, streamer);
    }

    /** Continuations of each prompt, in order (a list of num_return_sequences completions per prompt). */
    public List<List<Completion>> generateBatch(List<String> prompts, GenerationConfig request) {
        List<List<Completion>> out = new ArrayList<>();
        for (String p : prompts) {
            out.add(generate(p, request));
        }
        return out;
    }

    /** The prompt's token ids, as {@code tokenizer(prompt)} gives them (special tokens added by the post-processor). */
    public int[] encodePrompt(String prompt) {
        return tokenizer.encodeToIds(prompt, true);
    }

    /** Continuations of the token ids {@code prompt}. */
    public List<Completion> generate(int[] prompt, GenerationConfig request, TextStreamer streamer) {
        prompt = nonEmpty(prompt);
        Plan plan = plan(request == null ? GenerationConfig.EMPTY : request, prompt.length);
        Rng seeds = new Rng(plan.seed);
        List<Completion> out = new ArrayList<>();
        for (int s = 0; s < plan.sequences; s++) {
            out.add(run(prompt, plan, seeds.split(), streamer, s));
        }
        return out;
    }

    private int[] nonEmpty(int[] prompt) {
        if (prompt.length > 0) {
            return prompt;
        }
        var bos = tokenizer.specialTokenId(SpecialTokens::bos);
        if (bos.isPresent()) {
            return new int[] {bos.getAsInt()};
        }
        throw new GenerationException("the prompt is empty and the tokenizer has no BOS token to start from: give "
                + "at least one token of prompt (nanoGPT's samples start from \"\\n\")");
    }

    // ------------------------------------------------------------------ chat

    /**
     * The assistant's reply to a conversation: {@code messages} rendered by the tokenizer's chat
     * template (with the generation prompt), then generated until EOS, an end-of-turn marker of the
     * template, a stop string or the length limit. One sequence.
     */
    public Completion chat(List<ChatMessage> messages, GenerationConfig request, TextStreamer streamer) {
        int[] prompt = tokenizer.encodeChat(messages, true);
        GenerationConfig r = request == null ? GenerationConfig.EMPTY : request;
        List<String> stops = new ArrayList<>(r.stopStrings() != null ? r.stopStrings()
                : defaults.stopStrings() != null ? defaults.stopStrings() : List.of());
        String template = tokenizer.chatTemplate();
        for (String marker : END_OF_TURN) {
            if ((template == null ? marker.equals("<|im_end|>") : template.contains(marker)) && !stops.contains(marker)) {
                stops.add(marker);
            }
        }
        if (r.numReturnSequences() != null && r.numReturnSequences() != 1) {
            throw new GenerationException("num_return_sequences = " + r.numReturnSequences()
                    + ": a chat turn has one reply; use generate() for several");
        }
        return generate(prompt, r.toBuilder().stopStrings(stops).build(), streamer).get(0);
    }

    /** A multi-turn conversation with this generator. */
    public ChatSession newChat(String systemPrompt, GenerationConfig request) {
        return new ChatSession(this, systemPrompt, request);
    }

    /** End-of-turn markers of common chat templates: generation stops at them when the template uses them. */
    private static final List<String> END_OF_TURN = List.of("<|im_end|>", "<|eot_id|>", "<|end|>", "<end_of_turn>");

    // ------------------------------------------------------------------ the plan of a request

    /** A request's settings, resolved: defaults filled in, conflicts settled. */
    record Plan(int maxNew, int minNew, boolean sample, double temperature, int topK, double topP, double minP,
            double repetitionPenalty, int noRepeatNgram, int[] eos, List<String> stops, long seed, int sequences,
            boolean useCache, GenerationConfig.ContextOverflow overflow) {
    }

    Plan plan(GenerationConfig request, int promptLength) {
        GenerationConfig c = settings(request);
        int block = model.config().blockSize();
        int maxNew;
        if (c.maxNewTokens() != null) {
            if (c.maxLength() != null) {
                warnOnce("both-lengths", "both max_new_tokens (" + c.maxNewTokens() + ") and max_length ("
                        + c.maxLength() + ") are set: max_new_tokens wins; set only one");
            }
            maxNew = c.maxNewTokens();
        } else if (c.maxLength() != null) {
            maxNew = c.maxLength() - promptLength;
            if (maxNew <= 0) {
                throw new GenerationException("max_length = " + c.maxLength() + " counts the prompt too, and the prompt "
                        + "already has " + promptLength + " tokens, so there is no room for new tokens; raise "
                        + "max_length above " + promptLength + ", or set max_new_tokens (the number of tokens to add)");
            }
        } else {
            maxNew = GenerationConfig.DEFAULT_MAX_NEW_TOKENS;
        }
        boolean sample = Boolean.TRUE.equals(c.doSample());
        double temperature = c.temperature() != null ? c.temperature() : 1.0;
        if (sample && temperature == 0) {
            warnOnce("temperature-0", "temperature = 0 means greedy decoding (always the most likely token); "
                    + "decoding greedily instead of dividing by zero");
            sample = false;
        } else if (!sample && !request.samplingKeysSet().isEmpty()) {
            warnOnce("ignored-" + request.samplingKeysSet(), String.join(", ", request.samplingKeysSet())
                    + (request.samplingKeysSet().size() == 1 ? " is" : " are") + " ignored: do_sample is false "
                    + "(greedy decoding); set do_sample=true (--do-sample) to sample");
        }
        int sequences = c.numReturnSequences() != null ? c.numReturnSequences() : 1;
        if (sequences > 1 && !sample) {
            throw new GenerationException("num_return_sequences = " + sequences + " needs sampling: greedy decoding "
                    + "would return " + sequences + " identical sequences; set do_sample=true (and temperature > 0) or "
                    + "num_return_sequences=1");
        }
        int vocab = model.config().vocabSize();
        int[] eos = c.eosTokenIds() == null ? new int[0] : c.eosTokenIds().stream().mapToInt(Integer::intValue).toArray();
        for (int id : eos) {
            if (id >= vocab) {
                throw new GenerationException("eos_token_id " + id + " is outside the vocabulary (0.." + (vocab - 1) + ")");
            }
        }
        var overflow = c.contextOverflow() != null ? c.contextOverflow() : GenerationConfig.ContextOverflow.SLIDE;
        if (promptLength + maxNew > block) {
            if (overflow == GenerationConfig.ContextOverflow.ERROR) {
                throw new GenerationException(promptLength > block
                        ? "the prompt has " + promptLength + " tokens but the model's context (block_size) is " + block
                            + "; shorten the prompt, or allow the window to slide (drop --no-slide / context_overflow=error)"
                        : "the prompt (" + promptLength + " tokens) plus max_new_tokens (" + maxNew + ") need "
                            + (promptLength + maxNew) + " positions but the model's context (block_size) is " + block
                            + "; lower max_new_tokens to " + (block - promptLength) + " or less, or allow the window to "
                            + "slide (drop --no-slide / context_overflow=error)");
            }
            if (eos.length == 0 && (c.stopStrings() == null || c.stopStrings().isEmpty())) {
                warnSlide(overflow); // nothing can end it early: say so before the first token
            }
        }
        return new Plan(maxNew, c.minNewTokens() != null ? c.minNewTokens() : 0, sample, temperature,
                c.topK() != null ? c.topK() : GenerationConfig.DEFAULT_TOP_K, c.topP() != null ? c.topP() : 1.0,
                c.minP() != null ? c.minP() : 0.0, c.repetitionPenalty() != null ? c.repetitionPenalty() : 1.0,
                c.noRepeatNgramSize() != null ? c.noRepeatNgramSize() : 0, eos,
                c.stopStrings() != null ? c.stopStrings() : List.of(),
                c.seed() != null ? c.seed() : GenerationConfig.DEFAULT_SEED, sequences,
                c.useCache() == null || c.useCache(), overflow);
    }

    private void warnSlide(GenerationConfig.ContextOverflow overflow) {
        int block = model.config().blockSize();
        warnOnce("slide", "the text outgrows the model's context of " + block + " tokens: the window slides, each "
                + "new token sees only the last " + block + " tokens"
                + (overflow == GenerationConfig.ContextOverflow.REFILL ? " (the cache refilled by halves)" : "")
                + "; --no-slide (context_overflow=error) refuses such requests instead");
    }

    private void warnOnce(String key, String message) {
        if (warned.add(key)) {
            warnings.accept(message);
        }
    }

    // ------------------------------------------------------------------ the decoding loop

    private Completion run(int[] prompt, Plan p, Rng rng, TextStreamer streamer, int index) {
        int[] ids = new int[prompt.length + p.maxNew];
        System.arraycopy(prompt, 0, ids, 0, prompt.length);
        int n = prompt.length;
        ContextWindow window = new ContextWindow(model, p.useCache ? decoder.fork() : null, p.overflow,
                () -> warnSlide(p.overflow));
        DecodeStream decode = tokenizer.decodeStream(true);
        StopText text = new StopText(p.stops);
        Completion.FinishReason reason = Completion.FinishReason.LENGTH;
        for (int step = 0; step < p.maxNew; step++) {
            if (Thread.currentThread().isInterrupted()) {
                throw new CancellationException("generation cancelled");
            }
            int next = nextToken(window.next(ids, n), ids, n, step, p, rng);
            if (contains(p.eos, next)) {
                reason = Completion.FinishReason.STOP;
                break;
            }
            ids[n++] = next;
            emit(streamer, index, text.add(decode.step(next)));
            if (text.stopped()) {
                reason = Completion.FinishReason.STOP;
                break;
            }
        }
        if (!text.stopped()) {
            emit(streamer, index, text.finish(decode.flush()));
        }
        int[] generated = java.util.Arrays.copyOfRange(ids, prompt.length, n);
        return new Completion(text.text(), generated, reason, prompt.length);
    }

    private static int nextToken(float[] scores, int[] ids, int n, int step, Plan p, Rng rng) {
        LogitsProcessors.repetitionPenalty(scores, ids, n, p.repetitionPenalty);
        LogitsProcessors.noRepeatNgram(scores, ids, n, p.noRepeatNgram);
        LogitsProcessors.minNewTokens(scores, step, p.minNew, p.eos);
        if (!p.sample) {
            return LogitsProcessors.argmax(scores);
        }
        LogitsProcessors.temperature(scores, p.temperature);
        LogitsProcessors.topK(scores, p.topK);
        LogitsProcessors.topP(scores, p.topP);
        LogitsProcessors.minP(scores, p.minP);
        return LogitsProcessors.sample(scores, rng);
    }

    private static void emit(TextStreamer streamer, int index, String delta) {
        if (streamer != null && !delta.isEmpty()) {
            streamer.onText(index, delta);
        }
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }
}
