package org.autoreg.tokenizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.autoreg.tokenizer.io.AtomicFiles;
import org.autoreg.tokenizer.io.JsonFiles;

/**
 * Reads and writes Hugging Face {@code tokenizer.json} (and the special-token roles and chat
 * template of {@code tokenizer_config.json}). Unsupported component types are an error naming
 * the type and what is supported, never a silent approximation.
 */
final class TokenizerJson {
    static final String TOKENIZER_JSON = "tokenizer.json";
    static final String TOKENIZER_CONFIG = "tokenizer_config.json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TokenizerJson() {
    }

    /** A problem in a file: the message says which file and what to do. */
    static TokenizerException bad(Path file, String problem) {
        return new TokenizerException(file + ": " + problem);
    }

    static JsonNode readJson(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length == 0) {
                throw bad(file, "the file is empty; it is corrupt or was not written completely — re-create or "
                        + "re-download it");
            }
            return MAPPER.readTree(bytes);
        } catch (NoSuchFileException e) {
            throw bad(file, "file not found");
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw bad(file, "not valid JSON" + where + " (" + e.getOriginalMessage() + "); the file is corrupt or "
                    + "truncated — re-create or re-download it");
        } catch (IOException e) {
            throw bad(file, "cannot read: " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ reading

    static Tokenizer load(Path file) {
        JsonNode root = readJson(file);
        if (!root.isObject()) {
            throw bad(file, "expected a JSON object with a \"model\" field (a Hugging Face tokenizer.json)");
        }
        Reader r = new Reader(file);
        JsonNode modelNode = root.get("model");
        if (modelNode == null || modelNode.isNull()) {
            throw bad(file, "has no \"model\"; this is not a Hugging Face tokenizer.json");
        }
        Tokenizer.Builder b = Tokenizer.builder(r.model(modelNode));
        b.normalizer(r.normalizer(root.get("normalizer")));
        b.preTokenizer(r.preTokenizer(root.get("pre_tokenizer")));
        b.postProcessor(r.postProcessor(root.get("post_processor")));
        b.decoder(r.decoder(root.get("decoder")));
        JsonNode added = root.get("added_tokens");
        if (added != null && added.isArray()) {
            for (JsonNode a : added) {
                b.addedToken(new AddedToken(r.text(a, "content"), r.integer(a, "id"), a.path("special").asBoolean(false),
                        a.path("single_word").asBoolean(false), a.path("lstrip").asBoolean(false),
                        a.path("rstrip").asBoolean(false), a.path("normalized").asBoolean(false)));
            }
        }
        b.truncation(r.truncation(root.get("truncation")));
        b.padding(r.padding(root.get("padding")));
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw bad(file, e.getMessage());
        }
    }

    /** Applies the special-token roles and chat template of a {@code tokenizer_config.json}. */
    static Tokenizer applyConfig(Tokenizer tok, Path configFile) {
        JsonNode cfg = readJson(configFile);
        Tokenizer.Builder b = tok.toBuilder();
        SpecialTokens old = tok.specialTokens();
        SpecialTokens roles = new SpecialTokens(role(cfg, "bos_token", old.bos()), role(cfg, "eos_token", old.eos()),
                role(cfg, "pad_token", old.pad()), role(cfg, "unk_token", old.unk()));
        // Roles naming tokens the tokenizer does not know yet become special added tokens.
        List<String> missing = new ArrayList<>();
        for (String s : new String[] {roles.bos(), roles.eos(), roles.pad(), roles.unk()}) {
            if (s != null && tok.tokenToId(s).isEmpty() && !missing.contains(s)) {
                missing.add(s);
            }
        }
        if (!missing.isEmpty()) {
            b = tok.withSpecialTokens(missing).toBuilder();
        }
        b.specialTokens(roles);
        JsonNode tpl = cfg.get("chat_template");
        if (tpl != null && tpl.isTextual()) {
            b.chatTemplate(tpl.asText());
        } else if (tpl != null && tpl.isArray()) {
            for (JsonNode t : tpl) {
                if ("default".equals(t.path("name").asText())) {
                    b.chatTemplate(t.path("template").asText());
                }
            }
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw bad(configFile, e.getMessage());
        }
    }

    private static String role(JsonNode cfg, String field, String fallback) {
        JsonNode n = cfg.get(field);
        if (n == null) {
            return fallback;
        }
        if (n.isTextual()) {
            return n.asText();
        }
        if (n.isObject() && n.has("content")) {
            return n.get("content").asText();
        }
        return null;
    }

    /** Field access with errors naming the file and the field. */
    private static final class Reader {
        final Path file;

        Reader(Path file) {
            this.file = file;
        }

        String text(JsonNode n, String field) {
            JsonNode v = n.get(field);
            if (v == null || !v.isTextual()) {
                throw bad(file, "\"" + field + "\" must be a string in " + shorten(n));
            }
            return v.asText();
        }

        String optText(JsonNode n, String field) {
            JsonNode v = n.get(field);
            return v == null || v.isNull() ? null : v.asText();
        }

        int integer(JsonNode n, String field) {
            JsonNode v = n.get(field);
            if (v == null || !v.canConvertToInt()) {
                throw bad(file, "\"" + field + "\" must be an integer in " + shorten(n));
            }
            return v.asInt();
        }

        private static String shorten(JsonNode n) {
            String s = n.toString();
            return s.length() > 120 ? s.substring(0, 117) + "..." : s;
        }

        String type(JsonNode n, String what) {
            if (!n.isObject() || !n.has("type")) {
                throw bad(file, what + " has no \"type\": " + shorten(n));
            }
            return n.get("type").asText();
        }

        TokenizerException unsupported(String what, String type, String supported) {
            return bad(file, what + " type '" + type + "' is not supported by autoreg (supported: " + supported
                    + "); use a tokenizer built from supported components");
        }

        Map<String, Integer> vocab(JsonNode model) {
            JsonNode v = model.get("vocab");
            if (v == null || !v.isObject()) {
                throw bad(file, "model.vocab is missing or not an object");
            }
            Map<String, Integer> vocab = new LinkedHashMap<>(v.size() * 2);
            v.properties().forEach(e -> {
                if (!e.getValue().canConvertToInt()) {
                    throw bad(file, "model.vocab entry '" + e.getKey() + "' has a non-integer id");
                }
                vocab.put(e.getKey(), e.getValue().asInt());
            });
            return vocab;
        }

        Model model(JsonNode n) {
            String type = n.has("type") ? n.get("type").asText() : n.has("merges") ? "BPE" : "WordLevel";
            try {
                switch (type) {
                    case "BPE": {
                        JsonNode dropout = n.get("dropout");
                        if (dropout != null && !dropout.isNull() && dropout.asDouble() > 0) {
                            throw bad(file, "BPE dropout " + dropout.asDouble() + " is not supported (it makes encoding "
                                    + "random); set \"dropout\": null");
                        }
                        List<Map.Entry<String, String>> merges = new ArrayList<>();
                        JsonNode m = n.get("merges");
                        if (m == null || !m.isArray()) {
                            throw bad(file, "model.merges is missing or not an array");
                        }
                        int i = 0;
                        for (JsonNode merge : m) {
                            i++;
                            merges.add(parseMerge(merge, i));
                        }
                        return new Bpe(vocab(n), merges, optText(n, "unk_token"), optText(n, "continuing_subword_prefix"),
                                optText(n, "end_of_word_suffix"), n.path("fuse_unk").asBoolean(false),
                                n.path("byte_fallback").asBoolean(false), n.path("ignore_merges").asBoolean(false));
                    }
                    case "WordLevel":
                        return new WordLevel(vocab(n), optText(n, "unk_token"));
                    default:
                        throw unsupported("model", type, "BPE, WordLevel");
                }
            } catch (IllegalArgumentException e) {
                throw bad(file, e.getMessage());
            }
        }

        Map.Entry<String, String> parseMerge(JsonNode merge, int index) {
            if (merge.isTextual()) {
                String s = merge.asText();
                int sp = s.indexOf(' ');
                if (sp <= 0 || sp == s.length() - 1 || s.indexOf(' ', sp + 1) >= 0) {
                    throw bad(file, "merge " + index + " '" + s + "' is not two tokens separated by one space");
                }
                return new AbstractMap.SimpleImmutableEntry<>(s.substring(0, sp), s.substring(sp + 1));
            }
            if (merge.isArray() && merge.size() == 2) {
                return new AbstractMap.SimpleImmutableEntry<>(merge.get(0).asText(), merge.get(1).asText());
            }
            throw bad(file, "merge " + index + " must be \"a b\" or [\"a\", \"b\"], got " + merge);
        }

        Normalizer normalizer(JsonNode n) {
            if (n == null || n.isNull()) {
                return null;
            }
            String type = type(n, "normalizer");
            switch (type) {
                case "Lowercase":
                    return Normalizer.lowercase();
                case "NFC":
                    return Normalizer.nfc();
                case "NFD":
                    return Normalizer.nfd();
                case "NFKC":
                    return Normalizer.nfkc();
                case "NFKD":
                    return Normalizer.nfkd();
                case "StripAccents":
                    return Normalizer.stripAccents();
                case "Strip":
                    return Normalizer.strip(n.path("strip_left").asBoolean(true), n.path("strip_right").asBoolean(true));
                case "Replace": {
                    JsonNode p = n.path("pattern");
                    String content = text(n, "content");
                    if (p.has("String")) {
                        return Normalizer.replace(p.get("String").asText(), content);
                    }
                    return Normalizer.replaceRegex(text(p, "Regex"), content);
                }
                case "Prepend":
                    return Normalizer.prepend(text(n, "prepend"));
                case "Sequence": {
                    List<Normalizer> list = new ArrayList<>();
                    n.path("normalizers").forEach(x -> list.add(normalizer(x)));
                    return Normalizer.sequence(list);
                }
                default:
                    throw unsupported("normalizer", type, "Lowercase, NFC, NFD, NFKC, NFKD, StripAccents, Strip, "
                            + "Replace, Prepend, Sequence");
            }
        }

        PreTokenizer preTokenizer(JsonNode n) {
            if (n == null || n.isNull()) {
                return null;
            }
            String type = type(n, "pre_tokenizer");
            switch (type) {
                case "ByteLevel":
                    return PreTokenizer.byteLevel(n.path("add_prefix_space").asBoolean(false),
                            n.path("use_regex").asBoolean(true));
                case "Whitespace":
                    return PreTokenizer.whitespace();
                case "WhitespaceSplit":
                    return PreTokenizer.whitespaceSplit();
                case "Digits":
                    return PreTokenizer.digits(n.path("individual_digits").asBoolean(false));
                case "Punctuation":
                    if (!"Isolated".equals(n.path("behavior").asText("Isolated"))) {
                        throw unsupported("pre_tokenizer Punctuation behavior", n.path("behavior").asText(), "Isolated");
                    }
                    return PreTokenizer.punctuation();
                case "Split": {
                    JsonNode p = n.path("pattern");
                    boolean regex = !p.has("String");
                    String pattern = regex ? text(p, "Regex") : p.get("String").asText();
                    try {
                        return PreTokenizer.split(pattern, regex, behavior(n.path("behavior").asText("Isolated")),
                                n.path("invert").asBoolean(false));
                    } catch (java.util.regex.PatternSyntaxException e) {
                        throw bad(file, "pre_tokenizer Split pattern is not a valid regular expression here: "
                                + e.getDescription());
                    }
                }
                case "Sequence": {
                    List<PreTokenizer> list = new ArrayList<>();
                    n.path("pretokenizers").forEach(x -> list.add(preTokenizer(x)));
                    try {
                        return PreTokenizer.sequence(list);
                    } catch (IllegalArgumentException e) {
                        throw bad(file, e.getMessage());
                    }
                }
                default:
                    throw unsupported("pre_tokenizer", type, "ByteLevel, Whitespace, WhitespaceSplit, Digits, "
                            + "Punctuation, Split, Sequence");
            }
        }

        PreTokenizer.Behavior behavior(String name) {
            switch (name) {
                case "Removed":
                    return PreTokenizer.Behavior.REMOVED;
                case "Isolated":
                    return PreTokenizer.Behavior.ISOLATED;
                case "MergedWithPrevious":
                    return PreTokenizer.Behavior.MERGED_WITH_PREVIOUS;
                case "MergedWithNext":
                    return PreTokenizer.Behavior.MERGED_WITH_NEXT;
                case "Contiguous":
                    return PreTokenizer.Behavior.CONTIGUOUS;
                default:
                    throw bad(file, "unknown Split behavior '" + name + "' (expected Removed, Isolated, "
                            + "MergedWithPrevious, MergedWithNext or Contiguous)");
            }
        }

        PostProcessor postProcessor(JsonNode n) {
            if (n == null || n.isNull()) {
                return null;
            }
            String type = type(n, "post_processor");
            switch (type) {
                case "ByteLevel":
                    return new PostProcessors.ByteLevel(n.path("trim_offsets").asBoolean(true),
                            n.path("add_prefix_space").asBoolean(false));
                case "TemplateProcessing": {
                    Map<String, PostProcessors.Special> specials = new LinkedHashMap<>();
                    n.path("special_tokens").properties().forEach(e -> {
                        JsonNode s = e.getValue();
                        int[] ids = new int[s.path("ids").size()];
                        String[] toks = new String[s.path("tokens").size()];
                        if (ids.length != toks.length) {
                            throw bad(file, "TemplateProcessing special token '" + e.getKey() + "' has "
                                    + ids.length + " ids but " + toks.length + " tokens");
                        }
                        for (int i = 0; i < ids.length; i++) {
                            ids[i] = s.path("ids").get(i).asInt();
                            toks[i] = s.path("tokens").get(i).asText();
                        }
                        specials.put(e.getKey(), new PostProcessors.Special(e.getKey(), ids, toks));
                    });
                    List<PostProcessors.Special> single = new ArrayList<>();
                    for (JsonNode item : n.path("single")) {
                        if (item.has("Sequence")) {
                            single.add(null);
                        } else {
                            String id = item.path("SpecialToken").path("id").asText();
                            PostProcessors.Special s = specials.get(id);
                            if (s == null) {
                                throw bad(file, "TemplateProcessing uses special token '" + id
                                        + "' that is not in its special_tokens");
                            }
                            single.add(s);
                        }
                    }
                    try {
                        return new PostProcessors.Template(single, specials, n.get("pair"));
                    } catch (IllegalArgumentException e) {
                        throw bad(file, e.getMessage());
                    }
                }
                case "Sequence": {
                    List<PostProcessor> list = new ArrayList<>();
                    n.path("processors").forEach(x -> list.add(postProcessor(x)));
                    return PostProcessor.sequence(list);
                }
                default:
                    throw unsupported("post_processor", type, "ByteLevel, TemplateProcessing, Sequence");
            }
        }

        Decoder decoder(JsonNode n) {
            if (n == null || n.isNull()) {
                return null;
            }
            String type = type(n, "decoder");
            switch (type) {
                case "ByteLevel":
                    return Decoder.byteLevel();
                case "Fuse":
                    return Decoder.fuse();
                case "ByteFallback":
                    return Decoder.byteFallback();
                case "Replace": {
                    JsonNode p = n.path("pattern");
                    if (!p.has("String")) {
                        throw unsupported("decoder Replace pattern", "Regex", "String patterns");
                    }
                    return Decoder.replace(p.get("String").asText(), text(n, "content"));
                }
                case "Strip": {
                    String content = text(n, "content");
                    if (content.length() != 1) {
                        throw bad(file, "decoder Strip content must be one character, got '" + content + "'");
                    }
                    return Decoder.strip(content.charAt(0), n.path("start").asInt(0), n.path("stop").asInt(0));
                }
                case "Metaspace": {
                    String rep = n.path("replacement").asText("\u2581");
                    String scheme = n.has("prepend_scheme") ? n.get("prepend_scheme").asText()
                            : n.path("add_prefix_space").asBoolean(true) ? "always" : "never";
                    return new Decoders.Metaspace(rep.charAt(0), scheme, n.path("split").asBoolean(true));
                }
                case "Sequence": {
                    List<Decoder> list = new ArrayList<>();
                    n.path("decoders").forEach(x -> list.add(decoder(x)));
                    return Decoder.sequence(list);
                }
                default:
                    throw unsupported("decoder", type, "ByteLevel, Fuse, ByteFallback, Replace, Strip, Metaspace, "
                            + "Sequence");
            }
        }

        Truncation truncation(JsonNode n) {
            if (n == null || n.isNull()) {
                return null;
            }
            Side side = "Left".equals(n.path("direction").asText("Right")) ? Side.LEFT : Side.RIGHT;
            return new Truncation(integer(n, "max_length"), side);
        }

        Padding padding(JsonNode n) {
            if (n == null || n.isNull()) {
                return null;
            }
            JsonNode strategy = n.path("strategy");
            int length = strategy.isObject() && strategy.has("Fixed") ? strategy.get("Fixed").asInt() : 0;
            Side side = "Left".equals(n.path("direction").asText("Right")) ? Side.LEFT : Side.RIGHT;
            JsonNode multiple = n.get("pad_to_multiple_of");
            return new Padding(length, n.path("pad_token").asText("[PAD]"), n.path("pad_id").asInt(0), side,
                    multiple == null || multiple.isNull() ? 0 : multiple.asInt());
        }
    }

    // ------------------------------------------------------------------ writing

    static ObjectNode toNode(Tokenizer tok) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("version", "1.0");
        Truncation t = tok.truncation();
        if (t == null) {
            root.putNull("truncation");
        } else {
            root.putObject("truncation").put("direction", t.side() == Side.LEFT ? "Left" : "Right")
                    .put("max_length", t.maxLength()).put("strategy", "LongestFirst").put("stride", 0);
        }
        Padding p = tok.padding();
        if (p == null) {
            root.putNull("padding");
        } else {
            ObjectNode pn = root.putObject("padding");
            if (p.length() > 0) {
                pn.putObject("strategy").put("Fixed", p.length());
            } else {
                pn.put("strategy", "BatchLongest");
            }
            pn.put("direction", p.side() == Side.LEFT ? "Left" : "Right");
            if (p.padToMultipleOf() > 0) {
                pn.put("pad_to_multiple_of", p.padToMultipleOf());
            } else {
                pn.putNull("pad_to_multiple_of");
            }
            pn.put("pad_id", p.padId()).put("pad_type_id", 0).put("pad_token", p.padToken());
        }
        ArrayNode added = root.putArray("added_tokens");
        for (AddedToken a : tok.addedTokens()) {
            added.addObject().put("id", a.id()).put("content", a.content()).put("single_word", a.singleWord())
                    .put("lstrip", a.lstrip()).put("rstrip", a.rstrip()).put("normalized", a.normalized())
                    .put("special", a.special());
        }
        root.set("normalizer", tok.normalizer() == null ? f.nullNode() : ((Normalizers.Base) tok.normalizer()).toJson());
        root.set("pre_tokenizer", tok.preTokenizer() == null ? f.nullNode()
                : ((PreTokenizers.Base) tok.preTokenizer()).toJson());
        root.set("post_processor", tok.postProcessor() == null ? f.nullNode()
                : ((PostProcessors.Base) tok.postProcessor()).toJson());
        root.set("decoder", tok.decoder() == null ? f.nullNode() : ((Decoders.Base) tok.decoder()).toJson());
        root.set("model", modelNode(tok.model()));
        return root;
    }

    private static ObjectNode modelNode(Model model) {
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        if (model instanceof Bpe bpe) {
            m.put("type", "BPE").putNull("dropout");
            putNullable(m, "unk_token", bpe.unkToken);
            putNullable(m, "continuing_subword_prefix", bpe.continuingSubwordPrefix);
            putNullable(m, "end_of_word_suffix", bpe.endOfWordSuffix);
            m.put("fuse_unk", bpe.fuseUnk).put("byte_fallback", bpe.byteFallback).put("ignore_merges", bpe.ignoreMerges);
            putVocab(m, bpe.vocab());
            boolean spaces = bpe.merges().stream().anyMatch(e -> e.getKey().contains(" ") || e.getValue().contains(" "));
            ArrayNode merges = m.putArray("merges");
            for (Map.Entry<String, String> e : bpe.merges()) {
                if (spaces) {
                    merges.addArray().add(e.getKey()).add(e.getValue());
                } else {
                    merges.add(e.getKey() + " " + e.getValue());
                }
            }
        } else {
            WordLevel wl = (WordLevel) model;
            m.put("type", "WordLevel");
            putVocab(m, wl.vocab());
            putNullable(m, "unk_token", wl.unkToken);
        }
        return m;
    }

    private static void putNullable(ObjectNode n, String field, String value) {
        if (value == null) {
            n.putNull(field);
        } else {
            n.put(field, value);
        }
    }

    private static void putVocab(ObjectNode m, Map<String, Integer> vocab) {
        ObjectNode v = m.putObject("vocab");
        vocab.forEach(v::put);
    }

    static String toJson(Tokenizer tok) {
        return JsonFiles.pretty(toNode(tok));
    }

    static ObjectNode configNode(Tokenizer tok) {
        ObjectNode c = JsonNodeFactory.instance.objectNode();
        c.put("tokenizer_class", "PreTrainedTokenizerFast");
        SpecialTokens s = tok.specialTokens();
        putNullable(c, "bos_token", s.bos());
        putNullable(c, "eos_token", s.eos());
        putNullable(c, "pad_token", s.pad());
        putNullable(c, "unk_token", s.unk());
        if (tok.chatTemplate() != null) {
            c.put("chat_template", tok.chatTemplate());
        }
        c.put("clean_up_tokenization_spaces", false);
        return c;
    }

    static void save(Tokenizer tok, Path dir) throws IOException {
        Files.createDirectories(dir);
        AtomicFiles.writeString(dir.resolve(TOKENIZER_JSON), toJson(tok));
        JsonFiles.write(dir.resolve(TOKENIZER_CONFIG), configNode(tok));
    }
}
