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
        return generate(prompt, request, -1, streamer);
    }

    /**
     * Continuations of the token ids {@code prompt}, each token with its {@link TokenLogprob}
     * ({@link Completion#logprobs()}) and the {@code logprobs} most likely alternatives when
     * {@code logprobs} ≥ 0 (at most {@value TokenLogprob#MAX_TOP}); −1: none.
     */
    public List<Completion> generate(int[] prompt, GenerationConfig request, int logprobs, TextStreamer streamer) {
        List<Completion> out = new ArrayList<>();
        for (Sequence s : sequences(prompt, request, logprobs, (i, delta, tokens) -> {
            if (streamer != null && !delta.isEmpty()) {
                streamer.onText(i, delta);
            }
        })) {
            while (!s.done()) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new CancellationException("generation cancelled");
                }
                s.accept(s.window.next(s.ids(), s.length()));
            }
            out.add(s.result());
        }
        return out;
    }

    /**
     * The num_return_sequences sequences of a request, not yet started: sequence i samples from
     * the i-th split of the request's seed, whoever drives it ({@link #generate} one after another,
     * {@link BatchGenerator} side by side).
     */
    List<Sequence> sequences(int[] prompt, GenerationConfig request, int logprobs, Sequence.Sink sink) {
        if (logprobs < -1 || logprobs > TokenLogprob.MAX_TOP) {
            throw new GenerationException("logprobs = " + logprobs + ": ask for 0.." + TokenLogprob.MAX_TOP
                    + " alternatives per token (or -1 for none)");
        }
        int[] ids = nonEmpty(prompt);
        Plan plan = plan(request == null ? GenerationConfig.EMPTY : request, ids.length);
        Rng seeds = new Rng(plan.seed);
        List<Sequence> out = new ArrayList<>();
        for (int s = 0; s < plan.sequences; s++) {
            out.add(new Sequence(this, ids, plan, seeds.split(), logprobs, sink, s));
        }
        return out;
    }

    /**
     * A new sequence's context window over its own cache (or none, without use_cache), the cache
     * sized for the prompt plus max_new_tokens (at most the model's context).
     */
    ContextWindow window(Plan p, int promptLength) {
        int positions = p.useCache ? (int) Math.min(Integer.MAX_VALUE, (long) promptLength + p.maxNew) : 1;
        return new ContextWindow(decoder.fork(positions), p.useCache, p.overflow, () -> warnSlide(p.overflow));
    }

    /** The decoder every sequence's cache forks from (its weights are the model's). */
    Decoder decoder() {
        return decoder;
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
        GenerationConfig r = request == null ? GenerationConfig.EMPTY : request;
        if (r.numReturnSequences() != null && r.numReturnSequences() != 1) {
            throw new GenerationException("num_return_sequences = " + r.numReturnSequences()
                    + ": a chat turn has one reply; use generate() for several");
        }
        return generate(tokenizer.encodeChat(messages, true), chatRequest(r), streamer).get(0);
    }

    /**
     * {@code request} for a reply after a chat template's generation prompt: its stop strings
     * (or the defaults') plus the template's end-of-turn markers.
     */
    public GenerationConfig chatRequest(GenerationConfig request) {
        GenerationConfig r = request == null ? GenerationConfig.EMPTY : request;
        List<String> stops = new ArrayList<>(r.stopStrings() != null ? r.stopStrings()
                : defaults.stopStrings() != null ? defaults.stopStrings() : List.of());
        String template = tokenizer.chatTemplate();
        for (String marker : END_OF_TURN) {
            if ((template == null ? marker.equals("<|im_end|>") : template.contains(marker)) && !stops.contains(marker)) {
                stops.add(marker);
            }
        }
        return r.toBuilder().stopStrings(stops).build();
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
}
