package org.autoreg.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.autoreg.core.io.CorruptFileException;
import org.autoreg.core.io.SafeTensors;
import org.autoreg.core.nn.Gpt;
import org.autoreg.core.nn.Params;
import org.autoreg.tokenizer.Tokenizer;
import org.autoreg.tokenizer.TokenizerException;
import org.autoreg.tokenizer.Tokenizers;
import org.autoreg.tokenizer.io.JsonFiles;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The model directory: what {@code train} writes and {@code generate} reads.
 * <pre>
 * config.json              format version, model type, whether it has an LM head, the model config
 * model.safetensors        the weights (Hugging Face safetensors, GPT-2 tensor names)
 * tokenizer.json           the tokenizer (+ tokenizer_config.json)
 * generation_config.json   default generation settings
 * training_state/          optimizer.safetensors + state.json, for exact resume (training runs only)
 * </pre>
 * A directory is written whole into a sibling temporary directory and then swapped in, so a
 * reader (or a crash) never sees a mix of old and new files. Loading checks the format version,
 * every weight's shape against the config and the tokenizer against the vocabulary size.
 */
public final class ModelDirectory {
    /** The format this build writes and reads. */
    public static final int FORMAT_VERSION = 1;
    public static final String CONFIG = "config.json";
    public static final String WEIGHTS = "model.safetensors";
    public static final String GENERATION_CONFIG = "generation_config.json";
    public static final String TRAINING_STATE = "training_state";
    /** Model types: a GPT with an LM head, or word vectors (no LM head: cannot generate). */
    public static final String TYPE_GPT = "gpt";
    public static final String TYPE_EMBEDDING = "embedding";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ModelDirectory() {
    }

    /**
     * What a directory holds, read from its config.json alone. {@code formatVersion} 0: a Hugging Face
     * transformers checkpoint, whose config is given here in autoreg's keys (plus {@code hf_model_type}).
     */
    public record Info(Path dir, int formatVersion, String modelType, boolean hasLmHead, JsonNode config) {
    }

    /** A loaded GPT and its tokenizer and generation defaults. */
    public record Loaded(Path dir, Gpt model, Tokenizer tokenizer, ObjectNode generationConfig) {
    }

    /** Training state saved beside a checkpoint: named tensors (optimizer moments) and a JSON document. */
    public record TrainingState(Map<String, INDArray> tensors, ObjectNode state) {
    }

    /** Default generation settings for a new model (Hugging Face generation_config.json keys). */
    public static ObjectNode defaultGenerationConfig(Tokenizer tokenizer) {
        ObjectNode g = JSON.createObjectNode();
        g.put("max_new_tokens", 256).put("do_sample", true).put("temperature", 1.0).put("top_k", 0).put("top_p", 1.0);
        tokenizer.specialTokenId(org.autoreg.tokenizer.SpecialTokens::eos).ifPresent(id -> g.put("eos_token_id", id));
        tokenizer.specialTokenId(org.autoreg.tokenizer.SpecialTokens::bos).ifPresent(id -> g.put("bos_token_id", id));
        return g;
    }

    /**
     * Saves a GPT, its tokenizer and generation defaults (and, if given, its training state) as
     * {@code dir}, replacing whatever was there.
     */
    public static void save(Path dir, Gpt model, Tokenizer tokenizer, ObjectNode generationConfig,
            TrainingState trainingState) throws IOException {
        save(dir, model, tokenizer, generationConfig, trainingState, null);
    }

    /**
     * As {@link #save(Path, Gpt, Tokenizer, ObjectNode, TrainingState)}, with the provenance of the
     * run that wrote the model ({@link Provenance#FILE}; none when null).
     */
    public static void save(Path dir, Gpt model, Tokenizer tokenizer, ObjectNode generationConfig,
            TrainingState trainingState, ObjectNode provenance) throws IOException {
        if (tokenizer.vocabSize() > model.config().vocabSize()) {
            throw new IllegalArgumentException("the tokenizer has " + tokenizer.vocabSize() + " tokens but the model only "
                    + model.config().vocabSize() + " outputs; build the model with vocab_size ≥ " + tokenizer.vocabSize());
        }
        ObjectNode config = header(TYPE_GPT, true);
        config.setAll((ObjectNode) JSON.valueToTree(model.config()));
        writeAtomically(dir, tmp -> {
            JsonFiles.write(tmp.resolve(CONFIG), config);
            SafeTensors.write(tmp.resolve(WEIGHTS), model.params().asMap(),
                    Map.of("format", "pt", "autoreg_model_type", TYPE_GPT));
            tokenizer.save(tmp);
            JsonFiles.write(tmp.resolve(GENERATION_CONFIG),
                    generationConfig != null ? generationConfig : defaultGenerationConfig(tokenizer));
            if (provenance != null) {
                JsonFiles.write(tmp.resolve(Provenance.FILE), provenance);
            }
            if (trainingState != null) {
                Path ts = Files.createDirectories(tmp.resolve(TRAINING_STATE));
                SafeTensors.write(ts.resolve("optimizer.safetensors"), trainingState.tensors(), Map.of());
                JsonFiles.write(ts.resolve("state.json"), trainingState.state());
            }
        });
    }

    /**
     * Saves word vectors as an embedding-only model directory: {@code config.json} says it has no
     * LM head, so generate refuses it with an explanation.
     */
    public static void saveEmbeddings(Path dir, INDArray vectors, Tokenizer tokenizer, ObjectNode extraConfig)
            throws IOException {
        ObjectNode config = header(TYPE_EMBEDDING, false);
        config.put("vocab_size", vectors.rows()).put("n_embd", vectors.columns());
        if (extraConfig != null) {
            config.setAll(extraConfig);
        }
        writeAtomically(dir, tmp -> {
            JsonFiles.write(tmp.resolve(CONFIG), config);
            SafeTensors.write(tmp.resolve(WEIGHTS), Map.of("embeddings.weight", vectors),
                    Map.of("format", "pt", "autoreg_model_type", TYPE_EMBEDDING));
            tokenizer.save(tmp);
        });
    }

    private static ObjectNode header(String type, boolean lmHead) {
        ObjectNode c = JSON.createObjectNode();
        c.put("autoreg_format_version", FORMAT_VERSION).put("model_type", type).put("lm_head", lmHead);
        return c;
    }

    /**
     * Refuses {@code out} when it exists and {@code force} is not set: for the commands that make a
     * new directory ({@code export}, {@code import}) rather than update one.
     *
     * @throws IllegalArgumentException naming the directory and the two ways out
     */
    public static void requireNew(Path out, boolean force) {
        if (Files.exists(out) && !force) {
            throw new IllegalArgumentException(out + " already exists; choose another --out or pass --force to replace it");
        }
    }

    interface Writer {
        void write(Path tmp) throws IOException;
    }

    /** Writes into a hidden sibling ({@code .dir.*.tmp}), then swaps it in for {@code dir} (replacing what was there). */
    static void writeAtomically(Path dir, Writer writer) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        Files.createDirectories(abs.getParent());
        Path tmp = org.autoreg.tokenizer.io.AtomicFiles.createSibling(abs, true);
        try {
            writer.write(tmp);
            Path old = abs.resolveSibling(abs.getFileName() + ".old");
            deleteTree(old);
            if (Files.exists(abs)) {
                Files.move(abs, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(old);
        } finally {
            deleteTree(tmp);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    /**
     * {@code dir} itself when it is a model directory; its {@code best/} when it is a training run
     * directory (what {@code autoreg train --out} made: a run's config.json, and the model in
     * {@code best/}), telling {@code note} so. Anything else is returned unchanged (loading it then
     * explains what is wrong).
     */
    public static Path resolve(Path dir, java.util.function.Consumer<String> note) {
        Path best = dir.resolve("best");
        boolean model = false;
        try {
            model = Files.isRegularFile(dir.resolve(CONFIG))
                    && JSON.readTree(Files.readAllBytes(dir.resolve(CONFIG))).has("autoreg_format_version");
        } catch (IOException e) {
            return dir;
        }
        if (!model && Files.isRegularFile(best.resolve(CONFIG))) {
            if (note != null) {
                note.accept(dir + " is a training run; using its best checkpoint, " + best);
            }
            return best;
        }
        return dir;
    }

    /** Reads config.json only: the model type and whether it can generate. */
    public static Info inspect(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        return inspect(dir, abs, readConfig(dir, abs));
    }

    /** {@code dir}'s config.json as a JSON object, or an error naming what is missing or broken. */
    private static JsonNode readConfig(Path dir, Path abs) throws IOException {
        if (!Files.isDirectory(abs)) {
            Path old = abs.resolveSibling(abs.getFileName() + ".old");
            throw new IOException(dir + " is not a directory" + (Files.isDirectory(old)
                    ? "; a save was interrupted, the previous version is in " + old + " (rename it back)"
                    : "; pass a model directory (config.json, model.safetensors, tokenizer.json)"));
        }
        Path cfg = abs.resolve(CONFIG);
        if (!Files.isRegularFile(cfg)) {
            throw new IOException(dir + " is not an autoreg model directory: it has no " + CONFIG
                    + " (expected config.json, model.safetensors, tokenizer.json)");
        }
        return readObject(cfg);
    }

    /** The JSON object in {@code file}; a file that is not one is reported as corrupt. */
    private static ObjectNode readObject(Path file) throws IOException {
        JsonNode n;
        try {
            n = JSON.readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException e) {
            throw new CorruptFileException(file + ": not valid JSON (" + e.getOriginalMessage() + "); the file is corrupt");
        }
        if (!(n instanceof ObjectNode o)) {
            throw new CorruptFileException(file + ": expected a JSON object");
        }
        return o;
    }

    private static Info inspect(Path dir, Path abs, JsonNode c) throws IOException {
        int version = c.path("autoreg_format_version").asInt(-1);
        if (version < 1 && HfImport.isHf(c)) {               // a Hugging Face transformers checkpoint
            try {
                ObjectNode mapped = JSON.valueToTree(HfImport.config(abs, c));
                mapped.put("hf_model_type", c.path("model_type").asText());
                return new Info(abs, 0, TYPE_GPT, true, mapped);
            } catch (IllegalArgumentException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
        if (version < 1) {
            throw new CorruptFileException(abs.resolve(CONFIG) + ": no autoreg_format_version; this is not an autoreg "
                    + "model directory");
        }
        if (version > FORMAT_VERSION) {
            throw new IOException(dir + " was written in model format " + version + " by a newer autoreg; this build "
                    + "reads format " + FORMAT_VERSION + " — upgrade autoreg");
        }
        String type = c.path("model_type").asText("");
        return new Info(abs, version, type, c.path("lm_head").asBoolean(false), c);
    }

    /**
     * Loads the GPT in {@code dir} with its tokenizer and generation defaults. An embedding-only
     * directory is refused: it has no LM head.
     */
    public static Loaded load(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        JsonNode c = readConfig(dir, abs);
        Info info = inspect(dir, abs, c);
        if (info.formatVersion() == 0) {
            return HfImport.load(abs, c);
        }
        if (!TYPE_GPT.equals(info.modelType()) || !info.hasLmHead()) {
            throw new IOException(dir + " holds a '" + info.modelType() + "' model without a language-modelling head "
                    + "(e.g. word vectors): it maps tokens to vectors but has no layer that scores the next token, so "
                    + "it cannot be loaded as a GPT or generate text; train a GPT with 'autoreg train'");
        }
        ObjectNode cfgNode = ((ObjectNode) info.config()).deepCopy();
        cfgNode.remove(java.util.List.of("autoreg_format_version", "model_type", "lm_head"));
        ModelConfig config;
        try {
            config = JSON.treeToValue(cfgNode, ModelConfig.class);
        } catch (JsonProcessingException e) {
            String msg = e.getCause() instanceof IllegalArgumentException iae ? iae.getMessage() : e.getOriginalMessage();
            throw new CorruptFileException(info.dir().resolve(CONFIG) + ": " + msg);
        }
        SafeTensors.Contents weights = SafeTensors.read(info.dir().resolve(WEIGHTS));
        DataType dtype = weights.tensors().values().stream().findFirst().map(INDArray::dataType).orElse(DataType.FLOAT);
        Params params = new Params(dtype, config.seed());
        weights.tensors().forEach((name, arr) -> {
            if (arr.dataType() != dtype) {
                throw new IllegalArgumentException(info.dir().resolve(WEIGHTS) + ": tensor " + name + " is "
                        + arr.dataType() + " while others are " + dtype);
            }
            params.put(name, arr);
        });
        Gpt model;
        try {
            model = new Gpt(config, params);
        } catch (IllegalArgumentException e) {
            throw new CorruptFileException(info.dir().resolve(WEIGHTS) + " does not match " + CONFIG + ": " + e.getMessage()
                    + ". The two files come from different models (or config.json was edited): restore the "
                    + CONFIG + " that was saved with these weights, or save the model again");
        }
        return withTokenizer(info.dir(), model);
    }

    /**
     * A loaded model with the tokenizer (tokenizer.json, or vocab.json + merges.txt) and generation
     * defaults of {@code dir}; shared by autoreg and Hugging Face directories.
     */
    static Loaded withTokenizer(Path dir, Gpt model) throws IOException {
        Tokenizer tokenizer;
        try {
            tokenizer = Tokenizers.load(dir);
        } catch (TokenizerException e) {
            throw new CorruptFileException(e.getMessage());
        }
        if (tokenizer.vocabSize() > model.config().vocabSize()) {
            throw new IOException(dir + ": the tokenizer has " + tokenizer.vocabSize() + " tokens but the model scores only "
                    + model.config().vocabSize() + "; the tokenizer does not belong to this model");
        }
        Path genFile = dir.resolve(GENERATION_CONFIG);
        ObjectNode gen = Files.isRegularFile(genFile) ? readObject(genFile) : JSON.createObjectNode();
        return new Loaded(dir, model, tokenizer, gen);
    }

    /** The training state saved with the checkpoint in {@code dir}, or null if it has none. */
    public static TrainingState loadTrainingState(Path dir) throws IOException {
        Path ts = dir.resolve(TRAINING_STATE);
        if (!Files.isDirectory(ts)) {
            return null;
        }
        SafeTensors.Contents t = SafeTensors.read(ts.resolve("optimizer.safetensors"));
        return new TrainingState(t.tensors(), readObject(ts.resolve("state.json")));
    }
}
