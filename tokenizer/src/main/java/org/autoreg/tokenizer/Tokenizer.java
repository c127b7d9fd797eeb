package org.autoreg.tokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tokenizer: the Hugging Face pipeline normalizer → pre-tokenizer → model → post-processor →
 * decoder, plus added (special) tokens, truncation, padding and a chat template. Immutable and
 * thread-safe; the {@code with...} methods return modified copies.
 *
 * <p>Make one with {@link Tokenizers} (load a directory or tokenizer.json, GPT-2 files, or train
 * one), or assemble the stages with {@link #builder(Model)}.
 *
 * <pre>{@code
 * Tokenizer tok = Tokenizers.load(Path.of("models/gpt2"));
 * Encoding enc = tok.encode("Hello world");      // ids, tokens, offsets, masks
 * String text = tok.decode(enc.ids());            // "Hello world"
 * }</pre>
 */
public final class Tokenizer {
    private static final Logger LOG = LoggerFactory.getLogger(Tokenizer.class);

    private final Normalizers.Base normalizer;
    private final PreTokenizers.Base preTokenizer;
    private final Model model;
    private final PieceEncoder encoder;
    private final PostProcessors.Base postProcessor;
    private final Decoders.Base decoder;
    private final List<AddedToken> addedTokens;
    private final Map<Integer, AddedToken> addedById;
    private final Map<String, AddedToken> addedByContent;
    /** Added tokens with {@code normalized} false, matched in the raw text; null when there are none. */
    private final AddedTokenMatcher rawMatcher;
    /** Added tokens with {@code normalized} true, matched in the normalized text between raw matches; or null. */
    private final AddedTokenMatcher normalizedMatcher;
    private final Truncation truncation;
    private final Padding padding;
    private final SpecialTokens specialTokens;
    private final String chatTemplateSource;
    private final int vocabSize;
    private final AtomicBoolean truncationWarned = new AtomicBoolean();
    /** Built on first use: Jinjava is heavy and most tokenizers never render a chat. */
    private volatile ChatTemplate chatTemplate;

    private Tokenizer(Builder b) {
        this.model = Objects.requireNonNull(b.model, "model");
        this.encoder = (PieceEncoder) model;
        this.normalizer = (Normalizers.Base) b.normalizer;
        this.preTokenizer = (PreTokenizers.Base) b.preTokenizer;
        this.postProcessor = (PostProcessors.Base) b.postProcessor;
        this.decoder = (Decoders.Base) b.decoder;
        this.addedTokens = List.copyOf(b.addedTokens);
        Map<Integer, AddedToken> byId = new HashMap<>();
        Map<String, AddedToken> byContent = new HashMap<>();
        int maxId = model.vocabSize() - 1;
        for (AddedToken t : addedTokens) {
            AddedToken prev = byId.put(t.id(), t);
            if (prev != null && !prev.content().equals(t.content())) {
                throw new IllegalArgumentException("added tokens '" + prev.content() + "' and '" + t.content()
                        + "' share id " + t.id() + "; give each its own id");
            }
            if (t.id() < model.vocabSize()) {
                String inModel = model.idToToken(t.id());
                if (inModel != null && !inModel.equals(t.content())) {
                    throw new IllegalArgumentException("added token '" + t.content() + "' has id " + t.id()
                            + ", which the model's vocabulary gives to '" + inModel + "'");
                }
            }
            byContent.put(t.content(), t);
            maxId = Math.max(maxId, t.id());
        }
        this.addedById = Collections.unmodifiableMap(byId);
        this.addedByContent = Collections.unmodifiableMap(byContent);
        this.vocabSize = maxId + 1;
        List<AddedToken> raw = new ArrayList<>();
        List<AddedToken> normalized = new ArrayList<>();
        for (AddedToken t : addedTokens) {
            (t.normalized() ? normalized : raw).add(t);
        }
        this.rawMatcher = raw.isEmpty() ? null
                : new AddedTokenMatcher(raw.stream().map(AddedToken::content).toList(), raw);
        this.normalizedMatcher = normalized.isEmpty() ? null
                : new AddedTokenMatcher(normalized.stream()
                        .map(t -> normalizer == null ? t.content() : normalizer.normalize(t.content())).toList(), normalized);
        this.truncation = b.truncation;
        this.padding = b.padding;
        this.specialTokens = b.specialTokens == null ? SpecialTokens.NONE : b.specialTokens;
        for (String s : new String[] {specialTokens.bos(), specialTokens.eos(), specialTokens.pad(), specialTokens.unk()}) {
            if (s != null && tokenToId(s).isEmpty()) {
                throw new IllegalArgumentException("special token '" + s + "' is not in the vocabulary; add it as an "
                        + "added token first");
            }
        }
        this.chatTemplateSource = b.chatTemplate;
    }

    /** Starts a tokenizer around {@code model}; set the other stages on the builder. */
    public static Builder builder(Model model) {
        return new Builder(model);
    }

    /** A builder holding this tokenizer's settings. */
    public Builder toBuilder() {
        Builder b = new Builder(model);
        b.normalizer = normalizer;
        b.preTokenizer = preTokenizer;
        b.postProcessor = postProcessor;
        b.decoder = decoder;
        b.addedTokens.addAll(addedTokens);
        b.truncation = truncation;
        b.padding = padding;
        b.specialTokens = specialTokens;
        b.chatTemplate = chatTemplateSource;
        return b;
    }

    // ---------------------------------------------------------------- encoding

    /** Encodes {@code text} with special tokens: {@code encode(text, true)}. */
    public Encoding encode(String text) {
        return encode(text, true);
    }

    /** {@code encode(text, addSpecialTokens, false)}: added tokens in the text are matched. */
    public Encoding encode(String text, boolean addSpecialTokens) {
        return encode(text, addSpecialTokens, false);
    }

    /**
     * Encodes {@code text}: added tokens found in it become their ids (never split), the rest goes
     * through the pipeline; then truncation, the post-processor's special tokens (if
     * {@code addSpecialTokens}) and fixed-length padding apply.
     *
     * <p>Added tokens are found as Hugging Face does: the leftmost, then longest match first, in
     * one pass whose cost does not depend on how many added tokens there are. Tokens with
     * {@code normalized} false are matched in the raw text; then those with {@code normalized}
     * true in the normalized text between them (their content normalized too). A
     * {@code singleWord} token is matched only where no word character ({@code \w}) touches it;
     * {@code lstrip}/{@code rstrip} tokens take in the whitespace on their left/right. A rejected
     * match is passed over whole, so it hides matches overlapping it (Hugging Face's
     * {@code leftmost_find_iter}).
     *
     * <p>{@code splitSpecialTokens} is Hugging Face's {@code split_special_tokens}: special added
     * tokens in the text are not matched but encoded as the characters they are made of (the text
     * is data, not control); non-special added tokens are still matched. With only special added
     * tokens, as GPT-2's, this gives the ids of {@link #encodeOrdinary}.
     */
    public Encoding encode(String text, boolean addSpecialTokens, boolean splitSpecialTokens) {
        requireText(text);
        Pieces p = new Pieces();
        encodeInto(text, true, splitSpecialTokens, null, p);
        Encoding enc = finish(p, addSpecialTokens);
        return padding != null && padding.length() > 0 ? pad(List.of(enc)).get(0) : enc;
    }

    /** The ids of {@code encode(text, addSpecialTokens)}, computed without offsets (faster). */
    public int[] encodeToIds(String text, boolean addSpecialTokens) {
        return encodeToIds(text, addSpecialTokens, false);
    }

    /** The ids of {@code encode(text, addSpecialTokens, splitSpecialTokens)}, computed without offsets (faster). */
    public int[] encodeToIds(String text, boolean addSpecialTokens, boolean splitSpecialTokens) {
        requireText(text);
        if (postProcessor != null && addSpecialTokens || truncation != null || padding != null) {
            return encode(text, addSpecialTokens, splitSpecialTokens).idsArray();
        }
        IntList ids = new IntList(text.length() / 3 + 4);
        encodeInto(text, true, splitSpecialTokens, ids, null);
        return ids.toArray();
    }

    /**
     * Encodes {@code text} as plain text, like tiktoken's {@code encode_ordinary}: no added token is
     * matched ({@code "<|endoftext|>"} in the text is tokenized as characters), no special tokens
     * are added, no truncation. Use it for corpora, where such strings are data, not control.
     */
    public int[] encodeOrdinary(String text) {
        requireText(text);
        IntList ids = new IntList(text.length() / 3 + 4);
        encodeInto(text, false, false, ids, null);
        return ids.toArray();
    }

    /** Encodes each text ({@code addSpecialTokens} true), then pads the batch if padding is set. */
    public List<Encoding> encodeBatch(List<String> texts) {
        List<Encoding> out = new ArrayList<>(texts.size());
        for (String t : texts) {
            out.add(encode(t, true));
        }
        return padding == null ? List.copyOf(out) : pad(out);
    }

    /**
     * How many times each added token is matched in {@code text} by {@code encode(text, false)},
     * by content, in order of first match; tokens not found are absent. Tells, e.g., how many
     * {@code "<|endoftext|>"} literals a corpus holds before deciding how to encode it.
     */
    public Map<String, Integer> addedTokenCounts(String text) {
        requireText(text);
        Map<String, Integer> counts = new LinkedHashMap<>();
        SegmentSink count = (s, e, added) -> {
            if (added != null) {
                counts.merge(added.content(), 1, Integer::sum);
            }
        };
        SegmentSink pass1 = (s, e, added) -> {
            if (added != null) {
                count.accept(s, e, added);
            } else if (normalizedMatcher != null) {
                String norm = normalizer == null ? text.substring(s, e) : normalizer.normalize(text.substring(s, e));
                forEachSegment(norm, 0, norm.length(), normalizedMatcher, false, count);
            }
        };
        if (rawMatcher != null) {
            forEachSegment(text, 0, text.length(), rawMatcher, false, pass1);
        } else {
            pass1.accept(0, text.length(), null);
        }
        return Collections.unmodifiableMap(counts);
    }

    private static void requireText(String text) {
        if (text == null) {
            throw new IllegalArgumentException("text to encode is null");
        }
    }

    private interface SegmentSink {
        void accept(int start, int end, AddedToken added);
    }

    /**
     * The encode core: pass 1 matches the raw added tokens in {@code text}, the text between them
     * goes to {@link #encodeText} (normalization, pass 2, pipeline). Appends ids to {@code ids} or,
     * when {@code pieces} is given, ids with tokens and offsets.
     */
    private void encodeInto(String text, boolean matchAdded, boolean splitSpecial, IntList ids, Pieces pieces) {
        if (!matchAdded || rawMatcher == null) {
            encodeText(text, 0, text.length(), matchAdded, splitSpecial, ids, pieces);
            return;
        }
        forEachSegment(text, 0, text.length(), rawMatcher, splitSpecial, (s, e, added) -> {
            if (added == null) {
                encodeText(text, s, e, true, splitSpecial, ids, pieces);
            } else if (pieces == null) {
                ids.add(added.id());
            } else {
                pieces.add(added.id(), added.content(), s, e, added.special());
            }
        });
    }

    /**
     * Splits {@code text[from, to)} into runs of text and the added tokens {@code matcher} finds
     * there, with Hugging Face's rules ({@code AddedVocabulary::find_matches}): skipped special
     * tokens (when splitting them) and {@code singleWord} tokens touching a word character are left
     * in the text, {@code lstrip}/{@code rstrip} take in adjacent whitespace (on the left, no further
     * than the previous match). The region's ends count as the text's ends.
     */
    private static void forEachSegment(String text, int from, int to, AddedTokenMatcher matcher, boolean splitSpecial,
            SegmentSink sink) {
        int[] last = {from};
        matcher.forEachMatch(text, from, to, (s, e, t) -> {
            if (splitSpecial && t.special()) {
                return e;
            }
            if (t.singleWord() && (s > from && isWordChar(text.codePointBefore(s))
                    || e < to && isWordChar(text.codePointAt(e)))) {
                return e;
            }
            if (s < last[0]) {
                return e; // begins in whitespace the previous token's rstrip took
            }
            while (t.lstrip() && s > last[0] && Gpt2Split.isWhiteSpace(text.charAt(s - 1))) {
                s--;
            }
            while (t.rstrip() && e < to && Gpt2Split.isWhiteSpace(text.charAt(e))) {
                e++;
            }
            if (s > last[0]) {
                sink.accept(last[0], s, null);
            }
            sink.accept(s, e, t);
            last[0] = e;
            return e;
        });
        if (last[0] < to) {
            sink.accept(last[0], to, null);
        }
    }

    /** Regex {@code \w} with Unicode classes, as Hugging Face's single-word check. */
    private static boolean isWordChar(int cp) {
        if (cp < 0x80) {
            return cp >= 'a' && cp <= 'z' || cp >= 'A' && cp <= 'Z' || cp >= '0' && cp <= '9' || cp == '_';
        }
        if (Character.isAlphabetic(cp) || cp == 0x200C || cp == 0x200D) {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.DECIMAL_DIGIT_NUMBER || type == Character.NON_SPACING_MARK
                || type == Character.ENCLOSING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.CONNECTOR_PUNCTUATION;
    }

    /**
     * Normalizes {@code text[s, e)}, matches the normalized added tokens in it (pass 2, when
     * {@code matchAdded}), and runs pre-tokenizer → model over the text between them.
     */
    private void encodeText(String text, int s, int e, boolean matchAdded, boolean splitSpecial, IntList ids,
            Pieces pieces) {
        if (s == e) {
            return;
        }
        String norm;
        int normFrom;
        int normTo;
        Aligned aligned = null;
        if (normalizer == null) {
            norm = text;
            normFrom = s;
            normTo = e;
        } else if (pieces == null) {
            norm = normalizer.normalize(text.substring(s, e));
            normFrom = 0;
            normTo = norm.length();
        } else {
            aligned = new Aligned(e - s);
            normalizer.apply(Aligned.of(text.substring(s, e), s), aligned);
            norm = aligned.text.toString();
            normFrom = 0;
            normTo = norm.length();
        }
        if (!matchAdded || normalizedMatcher == null) {
            pipeline(norm, normFrom, normTo, aligned, ids, pieces);
            return;
        }
        Aligned al = aligned;
        forEachSegment(norm, normFrom, normTo, normalizedMatcher, splitSpecial, (a, b, added) -> {
            if (added == null) {
                pipeline(norm, a, b, al, ids, pieces);
            } else if (pieces == null) {
                ids.add(added.id());
            } else {
                pieces.add(added.id(), added.content(), al == null ? a : al.originalStart(a, b),
                        al == null ? b : al.originalEnd(a, b), added.special());
            }
        });
    }

    /**
     * Runs pre-tokenizer → model over the normalized text {@code norm[from, to)}, appending ids to
     * {@code ids} or, when {@code pieces} is given, ids with tokens and offsets into the original
     * text ({@code al} maps normalized positions back; null when they are original positions).
     */
    private void pipeline(String norm, int normFrom, int normTo, Aligned al, IntList ids, Pieces pieces) {
        if (normFrom == normTo) {
            return;
        }
        PreTokenizers.PieceSink sink = (source, from, to, shift, byteLevel) -> {
            int[] packed = encoder.encode(source, from, to, byteLevel);
            int n = packed.length / 2;
            if (pieces == null) {
                ids.addAll(packed, 0, n);
                return;
            }
            int[][] byteToChar = byteLevel ? byteToChar(source, from, to) : null;
            for (int k = 0; k < n; k++) {
                int unitStart = k == 0 ? 0 : packed[n + k - 1];
                int unitEnd = packed[n + k];
                int cs = from + (byteLevel ? byteToChar[0][unitStart] : unitStart);
                int ce = from + (byteLevel ? byteToChar[1][unitEnd] : unitEnd);
                int ns = Math.max(normFrom, Math.min(normTo, cs - shift));
                int ne = Math.max(ns, Math.min(normTo, ce - shift));
                int start = al == null ? ns : al.originalStart(ns, ne);
                int end = al == null ? ne : al.originalEnd(ns, ne);
                pieces.add(packed[k], model.idToToken(packed[k]), start, end, false);
            }
        };
        if (preTokenizer == null) {
            sink.accept(norm, normFrom, normTo, 0, false);
        } else {
            preTokenizer.split(norm, normFrom, normTo, sink);
        }
    }

    /**
     * For a byte-level piece {@code source[from, to)}: {@code [0][b]} is the char offset (relative
     * to {@code from}) where the character holding byte {@code b} starts; {@code [1][b]} is where a
     * token ending before byte {@code b} ends: that char offset at a character boundary, the end of
     * the character when b lies inside one (a token holding part of a character covers all of it).
     */
    private static int[][] byteToChar(CharSequence source, int from, int to) {
        int[] starts = new int[Utf8.maxBytes(to - from) + 1];
        int[] ends = new int[starts.length];
        int b = 0;
        for (int i = from; i < to; ) {
            int cp = Character.codePointAt(source, i);
            int len = Utf8.length(cp);
            int next = i + Character.charCount(cp);
            for (int k = 0; k < len; k++) {
                starts[b + k] = i - from;
                ends[b + k] = k == 0 ? i - from : next - from;
            }
            b += len;
            i = next;
        }
        starts[b] = to - from;
        ends[b] = to - from;
        return new int[][] {starts, ends};
    }

    /** Truncation, then post-processing. */
    private Encoding finish(Pieces p, boolean addSpecialTokens) {
        int truncated = 0;
        if (truncation != null) {
            int room = truncation.maxLength() - (addSpecialTokens && postProcessor != null ? postProcessor.addedTokens() : 0);
            if (room < 0) {
                throw new IllegalArgumentException("truncation maxLength " + truncation.maxLength() + " leaves no room for "
                        + "the " + postProcessor.addedTokens() + " special tokens the post-processor adds; raise maxLength");
            }
            if (p.size() > room) {
                truncated = p.size() - room;
                p = truncation.side() == Side.RIGHT ? p.slice(0, room) : p.slice(truncated, p.size());
                if (truncationWarned.compareAndSet(false, true)) {
                    int specials = truncation.maxLength() - room;
                    LOG.warn("Input of {} tokens was truncated to {} (maxLength {}{}, cut on the {}): {} tokens were "
                            + "dropped. Raise the truncation maxLength or split long texts; Encoding.truncatedTokens() "
                            + "tells per text. (Warned once per tokenizer.)", p.size() + truncated, p.size(),
                            truncation.maxLength(), specials > 0 ? " with " + specials + " special tokens" : "",
                            truncation.side().toString().toLowerCase(java.util.Locale.ROOT), truncated);
                }
            }
        }
        if (addSpecialTokens && postProcessor != null) {
            p = postProcessor.process(p);
        }
        return p.toEncoding(truncated);
    }

    /** Pads every encoding to the batch target length. */
    private List<Encoding> pad(List<Encoding> batch) {
        int longest = batch.stream().mapToInt(Encoding::length).max().orElse(0);
        int target = padding.target(longest);
        List<Encoding> out = new ArrayList<>(batch.size());
        for (Encoding enc : batch) {
            int n = enc.length();
            if (n >= target) {
                out.add(enc);
                continue;
            }
            int extra = target - n;
            int off = padding.side() == Side.LEFT ? extra : 0;
            int[] ids = new int[target];
            String[] tokens = new String[target];
            int[] starts = new int[target];
            int[] ends = new int[target];
            int[] mask = new int[target];
            int[] special = new int[target];
            java.util.Arrays.fill(ids, padding.padId());
            java.util.Arrays.fill(tokens, padding.padToken());
            java.util.Arrays.fill(special, 1);
            System.arraycopy(enc.idsArray(), 0, ids, off, n);
            System.arraycopy(enc.tokensArray(), 0, tokens, off, n);
            System.arraycopy(enc.startsArray(), 0, starts, off, n);
            System.arraycopy(enc.endsArray(), 0, ends, off, n);
            System.arraycopy(enc.attentionMaskArray(), 0, mask, off, n);
            System.arraycopy(enc.specialTokensMaskArray(), 0, special, off, n);
            out.add(new Encoding(ids, tokens, starts, ends, mask, special, enc.truncatedTokens()));
        }
        return List.copyOf(out);
    }

    // ---------------------------------------------------------------- decoding

    /** Decodes {@code ids}, special tokens included. */
    public String decode(int[] ids) {
        return decode(ids, false);
    }

    /** Decodes {@code ids}; {@code skipSpecialTokens} drops special added tokens (e.g. {@code <|endoftext|>}). */
    public String decode(int[] ids, boolean skipSpecialTokens) {
        List<String> tokens = new ArrayList<>(ids.length);
        for (int id : ids) {
            AddedToken a = addedById.get(id);
            if (a != null) {
                if (!(skipSpecialTokens && a.special())) {
                    tokens.add(a.content());
                }
                continue;
            }
            if (id < 0 || id >= model.vocabSize() || model.idToToken(id) == null) {
                throw new IllegalArgumentException("token id " + id + " is not in this tokenizer's vocabulary (size "
                        + vocabSize + "); the ids come from a different tokenizer or model");
            }
            tokens.add(model.idToToken(id));
        }
        return decoder == null ? String.join(" ", tokens) : decoder.decode(tokens);
    }

    /** A stream decoder: feed ids one by one, get text deltas that never split a character. */
    public DecodeStream decodeStream(boolean skipSpecialTokens) {
        return new DecodeStream(this, skipSpecialTokens);
    }

    // ---------------------------------------------------------------- chat

    /**
     * Renders a conversation into the prompt text the model was trained on, with this tokenizer's
     * chat template (Hugging Face's {@code apply_chat_template(messages, tokenize=False)}); the
     * built-in ChatML template if it has none. {@code addGenerationPrompt} appends the opening of an
     * assistant turn, so that generation continues as the assistant.
     *
     * <p><b>{@code encode} versus {@code applyChatTemplate}.</b> {@link #encode(String)} (Hugging
     * Face's {@code tokenizer(text)}) tokenizes raw text and lets the post-processor add its special
     * tokens (e.g. BOS). A chat model instead expects its conversation format: role markers and
     * turn delimiters the template writes, often special tokens themselves. Encoding a user message
     * with {@code encode} gives the model text it never saw in that form. Render with this method,
     * then tokenize the result with {@link #encodeChat} (which does not add special tokens again, so
     * there is no doubled BOS).
     */
    public String applyChatTemplate(List<ChatMessage> messages, boolean addGenerationPrompt) {
        return applyChatTemplate(messages, addGenerationPrompt, Map.of());
    }

    /** {@link #applyChatTemplate(List, boolean)} with extra template variables (e.g. {@code date_string}). */
    public String applyChatTemplate(List<ChatMessage> messages, boolean addGenerationPrompt, Map<String, Object> extra) {
        if (messages == null || messages.isEmpty()) {
            throw new IllegalArgumentException("a chat needs at least one message");
        }
        ChatTemplate t = chatTemplate;
        if (t == null) {
            t = new ChatTemplate(chatTemplateSource == null ? ChatTemplate.CHATML : chatTemplateSource);
            chatTemplate = t;
        }
        return t.render(messages, addGenerationPrompt, specialTokens, extra);
    }

    /**
     * The ids of the rendered conversation: {@link #applyChatTemplate} then encoding without adding
     * special tokens (those in the rendered text, like {@code <|im_start|>}, are matched as added tokens).
     */
    public int[] encodeChat(List<ChatMessage> messages, boolean addGenerationPrompt) {
        return encodeToIds(applyChatTemplate(messages, addGenerationPrompt), false);
    }

    /** The chat template source, or null when the built-in ChatML default applies. */
    public String chatTemplate() {
        return chatTemplateSource;
    }

    // ---------------------------------------------------------------- vocabulary and settings

    /** Number of ids: the model's vocabulary plus added tokens. */
    public int vocabSize() {
        return vocabSize;
    }

    /** The id of a token string (added tokens first, then the model's vocabulary). */
    public OptionalInt tokenToId(String token) {
        AddedToken a = addedByContent.get(token);
        return a != null ? OptionalInt.of(a.id()) : model.tokenToId(token);
    }

    /**
     * The bytes token {@code id} stands for (OpenAI's {@code bytes} of a logprob entry): a
     * byte-level token's raw bytes, which may be part of a UTF-8 character; otherwise the UTF-8 of
     * its decoded text.
     */
    public byte[] tokenBytes(int id) {
        String t = idToToken(id);
        if (!addedById.containsKey(id) && Decoders.byteLevel(decoder)) {
            byte[] b = new byte[t.length()];
            for (int i = 0; i < b.length; i++) {
                int v = ByteLevelAlphabet.byteOf(t.charAt(i));
                if (v < 0) {
                    return decode(new int[] {id}).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                }
                b[i] = (byte) v;
            }
            return b;
        }
        return decode(new int[] {id}).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The token string of an id. */
    public String idToToken(int id) {
        AddedToken a = addedById.get(id);
        if (a != null) {
            return a.content();
        }
        String t = id >= 0 && id < model.vocabSize() ? model.idToToken(id) : null;
        if (t == null) {
            throw new IllegalArgumentException("token id " + id + " is not in this tokenizer's vocabulary (size "
                    + vocabSize + ")");
        }
        return t;
    }

    /** The id of a special-token role, if set (e.g. {@code specialTokenId(SpecialTokens::eos)}). */
    public OptionalInt specialTokenId(java.util.function.Function<SpecialTokens, String> role) {
        String s = role.apply(specialTokens);
        return s == null ? OptionalInt.empty() : tokenToId(s);
    }

    public Model model() {
        return model;
    }

    /** The normalizer, or null. */
    public Normalizer normalizer() {
        return normalizer;
    }

    /** The pre-tokenizer, or null. */
    public PreTokenizer preTokenizer() {
        return preTokenizer;
    }

    /** The post-processor, or null. */
    public PostProcessor postProcessor() {
        return postProcessor;
    }

    /** The decoder, or null (tokens are joined with spaces). */
    public Decoder decoder() {
        return decoder;
    }

    public List<AddedToken> addedTokens() {
        return addedTokens;
    }

    public SpecialTokens specialTokens() {
        return specialTokens;
    }

    /** The truncation setting, or null. */
    public Truncation truncation() {
        return truncation;
    }

    /** The padding setting, or null. */
    public Padding padding() {
        return padding;
    }

    public Tokenizer withTruncation(Truncation truncation) {
        return toBuilder().truncation(truncation).build();
    }

    public Tokenizer withPadding(Padding padding) {
        return toBuilder().padding(padding).build();
    }

    public Tokenizer withChatTemplate(String template) {
        return toBuilder().chatTemplate(template).build();
    }

    /**
     * Adds special tokens not yet known (each gets the next free id) and returns the new tokenizer;
     * tokens already in the vocabulary are marked special with their existing id.
     */
    public Tokenizer withSpecialTokens(List<String> tokens) {
        Builder b = toBuilder();
        int next = vocabSize;
        for (String t : tokens) {
            if (addedByContent.containsKey(t) || b.addedTokens.stream().anyMatch(a -> a.content().equals(t))) {
                continue;
            }
            OptionalInt id = model.tokenToId(t);
            b.addedToken(AddedToken.special(t, id.isPresent() ? id.getAsInt() : next++));
        }
        return b.build();
    }

    /** Writes {@code tokenizer.json} (and {@code tokenizer_config.json}) into {@code dir}, atomically. */
    public void save(Path dir) throws IOException {
        TokenizerJson.save(this, dir);
    }

    /** The Hugging Face tokenizer.json document of this tokenizer. */
    public String toJson() {
        return TokenizerJson.toJson(this);
    }

    @Override
    public String toString() {
        return "Tokenizer(" + model + ", vocabSize=" + vocabSize + ", added=" + addedTokens.size() + ")";
    }

    /** Assembles a {@link Tokenizer}; every stage but the model is optional. */
    public static final class Builder {
        private final Model model;
        private Normalizer normalizer;
        private PreTokenizer preTokenizer;
        private PostProcessor postProcessor;
        private Decoder decoder;
        private final List<AddedToken> addedTokens = new ArrayList<>();
        private Truncation truncation;
        private Padding padding;
        private SpecialTokens specialTokens;
        private String chatTemplate;

        private Builder(Model model) {
            this.model = model;
        }

        public Builder normalizer(Normalizer normalizer) {
            this.normalizer = normalizer;
            return this;
        }

        public Builder preTokenizer(PreTokenizer preTokenizer) {
            this.preTokenizer = preTokenizer;
            return this;
        }

        public Builder postProcessor(PostProcessor postProcessor) {
            this.postProcessor = postProcessor;
            return this;
        }

        public Builder decoder(Decoder decoder) {
            this.decoder = decoder;
            return this;
        }

        public Builder addedToken(AddedToken token) {
            this.addedTokens.add(token);
            return this;
        }

        public Builder truncation(Truncation truncation) {
            this.truncation = truncation;
            return this;
        }

        public Builder padding(Padding padding) {
            this.padding = padding;
            return this;
        }

        public Builder specialTokens(SpecialTokens specialTokens) {
            this.specialTokens = specialTokens;
            return this;
        }

        /** A Hugging Face (Jinja) chat template; null for the built-in ChatML. */
        public Builder chatTemplate(String chatTemplate) {
            this.chatTemplate = chatTemplate;
            return this;
        }

        public Tokenizer build() {
            return new Tokenizer(this);
        }
    }
}
