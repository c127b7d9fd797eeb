package org.autoreg.generate.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.autoreg.generate.GenerationConfig;
import org.autoreg.generate.TokenLogprob;
import org.autoreg.tokenizer.ChatMessage;

/**
 * The body of {@code /v1/completions} or {@code /v1/chat/completions}, read field by field: a
 * field of the wrong type or out of range is an {@link ApiError} naming it. Unknown fields are
 * ignored (OpenAI clients send optional fields this server does not use). {@code logprobs}: −1 for
 * none, else the number of alternatives to list with each token (chat's {@code top_logprobs},
 * the legacy completions' integer {@code logprobs}).
 */
record CompletionRequest(String model, String prompt, List<ChatMessage> messages, GenerationConfig config,
        boolean stream, boolean includeUsage, int n, int logprobs) {

    /**
     * The request in {@code body}; without max_tokens it gets {@code defaultMaxTokens}, and neither
     * may exceed {@code maxTokensLimit} (a request asking for more is refused, naming the limit).
     */
    static CompletionRequest parse(JsonNode body, boolean chat, int defaultMaxTokens, int maxTokensLimit) {
        if (body == null || !body.isObject()) {
            throw ApiError.invalid(null, "the request body must be a JSON object");
        }
        refuseUnsupported(body, chat);
        String model = text(body, "model");
        String prompt = null;
        List<ChatMessage> messages = null;
        if (chat) {
            JsonNode m = body.get("messages");
            if (m == null || !m.isArray() || m.isEmpty()) {
                throw ApiError.invalid("messages", "'messages' must be a non-empty array of {role, content} objects");
            }
            messages = new ArrayList<>();
            for (int i = 0; i < m.size(); i++) {
                JsonNode msg = m.get(i);
                String where = "messages[" + i + "]";
                if (!msg.isObject() || !msg.path("role").isTextual()) {
                    throw ApiError.invalid(where + ".role", where + " must be an object with a string 'role'");
                }
                String role = msg.get("role").asText();
                if (!ROLES.contains(role)) {
                    throw ApiError.invalid(where + ".role", where + ".role is '" + role + "'; this server takes the roles "
                            + String.join(", ", ROLES) + (role.equals("tool") || role.equals("function")
                            ? " (tools are not supported)" : ""));
                }
                JsonNode content = msg.get("content");
                if ((content == null || content.isNull()) && !role.equals("assistant")) {
                    throw ApiError.invalid(where + ".content", where + ".content is missing or null; only an assistant "
                            + "message may have no content");
                }
                messages.add(new ChatMessage(role, content(content, where + ".content")));
            }
        } else {
            JsonNode p = body.get("prompt");
            if (p == null || p.isNull()) {
                throw ApiError.invalid("prompt", "'prompt' is required");
            }
            if (p.isArray() && p.size() == 1 && p.get(0).isTextual()) {
                p = p.get(0);
            }
            if (!p.isTextual()) {
                throw ApiError.invalid("prompt", "'prompt' must be a string (or an array of one string)");
            }
            prompt = p.asText();
        }
        String maxTokensKey = chat && body.has("max_completion_tokens") ? "max_completion_tokens" : "max_tokens";
        Integer maxTokens = integer(body, maxTokensKey);
        if (maxTokens != null && maxTokens > maxTokensLimit) {
            throw ApiError.invalid(maxTokensKey, maxTokensKey + " is " + maxTokens + ", but this server generates at most "
                    + maxTokensLimit + " tokens per request (serve --max-tokens-limit); ask for " + maxTokensLimit
                    + " or fewer");
        }
        Double temperature = number(body, "temperature");
        range(temperature, "temperature", 0, 2);
        Double topP = number(body, "top_p");
        if (topP != null && (topP <= 0 || topP > 1)) {
            throw ApiError.invalid("top_p", "top_p must be in (0, 1], got " + topP);
        }
        Integer n = integer(body, "n");
        if (n != null && (n < 1 || n > 128)) {
            throw ApiError.invalid("n", "n must be between 1 and 128, got " + n);
        }
        if (maxTokens != null && maxTokens < 1) {
            throw ApiError.invalid("max_tokens", "max_tokens must be at least 1, got " + maxTokens);
        }
        Integer topK = integer(body, "top_k");
        if (topK != null && topK < 0) {
            throw ApiError.invalid("top_k", "top_k must be ≥ 0 (0 = off), got " + topK);
        }
        Double minP = number(body, "min_p");
        range(minP, "min_p", 0, 1);
        Double repetition = number(body, "repetition_penalty");
        if (repetition != null && repetition <= 0) {
            throw ApiError.invalid("repetition_penalty", "repetition_penalty must be > 0, got " + repetition);
        }
        Long seed = null;
        JsonNode s = body.get("seed");
        if (s != null && !s.isNull()) {
            if (!s.isIntegralNumber() || !s.canConvertToLong()) {
                throw ApiError.invalid("seed", "'seed' must be an integer, got " + s);
            }
            seed = s.longValue();
        }
        List<String> stop = null;
        JsonNode st = body.get("stop");
        if (st != null && !st.isNull()) {
            stop = new ArrayList<>();
            if (st.isTextual()) {
                stop.add(st.asText());
            } else if (st.isArray() && st.size() <= 4) {
                for (JsonNode x : st) {
                    if (!x.isTextual() || x.asText().isEmpty()) {
                        throw ApiError.invalid("stop", "'stop' must be a string or an array of up to 4 non-empty strings");
                    }
                    stop.add(x.asText());
                }
            } else {
                throw ApiError.invalid("stop", "'stop' must be a string or an array of up to 4 non-empty strings");
            }
        }
        boolean stream = bool(body, "stream");
        boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
        double t = temperature != null ? temperature : 1.0;
        GenerationConfig cfg = GenerationConfig.builder()
                .maxNewTokens(maxTokens != null ? maxTokens : Math.min(defaultMaxTokens, maxTokensLimit))
                .doSample(t > 0).temperature(t > 0 ? t : null).topP(topP).topK(topK != null ? topK : 0).minP(minP)
                .repetitionPenalty(repetition).seed(seed).stopStrings(stop).numReturnSequences(n)
                .build();
        return new CompletionRequest(model, prompt, messages, cfg, stream, includeUsage, n != null ? n : 1,
                logprobs(body, chat));
    }

    /**
     * Chat: {@code logprobs} (boolean) and {@code top_logprobs} (0..20, only with logprobs);
     * completions: {@code logprobs} (0..5 alternatives), as OpenAI's API takes them.
     */
    private static int logprobs(JsonNode body, boolean chat) {
        JsonNode lp = body.get("logprobs");
        JsonNode top = body.get("top_logprobs");
        boolean hasTop = top != null && !top.isNull();
        if (!chat) {
            if (hasTop) {
                throw ApiError.invalid("top_logprobs", "'top_logprobs' belongs to /v1/chat/completions; the completions "
                        + "endpoint takes an integer 'logprobs' (0..5)");
            }
            if (lp == null || lp.isNull()) {
                return -1;
            }
            if (!lp.isIntegralNumber() || lp.asInt() < 0 || lp.asInt() > 5) {
                throw ApiError.invalid("logprobs", "'logprobs' must be an integer 0..5 (the alternatives listed per "
                        + "token), got " + lp);
            }
            return lp.asInt();
        }
        if (lp != null && !lp.isNull() && !lp.isBoolean()) {
            throw ApiError.invalid("logprobs", "'logprobs' must be true or false, got " + lp);
        }
        boolean on = lp != null && lp.asBoolean(false);
        if (!hasTop) {
            return on ? 0 : -1;
        }
        if (!top.isIntegralNumber() || top.asInt() < 0 || top.asInt() > TokenLogprob.MAX_TOP) {
            throw ApiError.invalid("top_logprobs", "'top_logprobs' must be an integer 0.." + TokenLogprob.MAX_TOP
                    + ", got " + top);
        }
        if (!on) {
            throw ApiError.invalid("top_logprobs", "'top_logprobs' needs \"logprobs\": true");
        }
        return top.asInt();
    }

    /** The message roles a chat template can render here ("developer" is OpenAI's newer name for "system"). */
    private static final List<String> ROLES = List.of("system", "developer", "user", "assistant");

    /**
     * OpenAI fields that would change what is generated and that this server does not implement:
     * refused, naming the field, rather than ignored.
     */
    private static void refuseUnsupported(JsonNode body, boolean chat) {
        for (String f : List.of("tools", "tool_choice", "functions", "function_call", "logit_bias", "audio",
                "modalities", "prediction", "web_search_options")) {
            JsonNode v = body.get(f);
            if (v != null && !v.isNull() && !(v.isContainerNode() && v.isEmpty())) {
                throw ApiError.invalid(f, "'" + f + "' is not supported by this server; remove it");
            }
        }
        JsonNode format = body.get("response_format");
        if (format != null && !format.isNull() && !"text".equals(format.path("type").asText())) {
            throw ApiError.invalid("response_format", "response_format " + format + " is not supported (only {\"type\": "
                    + "\"text\"}): this server cannot constrain the output to JSON");
        }
        for (String f : List.of("presence_penalty", "frequency_penalty")) {
            JsonNode v = body.get(f);
            if (v != null && !v.isNull() && !(v.isNumber() && v.asDouble() == 0)) {
                throw ApiError.invalid(f, "'" + f + "' is not supported; this server has Hugging Face's "
                        + "repetition_penalty (e.g. 1.2) instead");
            }
        }
        if (!chat) {
            if (body.path("echo").asBoolean(false)) {
                throw ApiError.invalid("echo", "'echo' is not supported by this server; remove it");
            }
            if (body.has("suffix") && !body.get("suffix").isNull() && !body.get("suffix").asText().isEmpty()) {
                throw ApiError.invalid("suffix", "'suffix' (insertion) is not supported by this server; remove it");
            }
            if (body.path("best_of").asInt(1) > 1) {
                throw ApiError.invalid("best_of", "'best_of' is not supported by this server; use n");
            }
        }
    }

    private static String content(JsonNode c, String where) {
        if (c == null || c.isNull()) {
            return "";
        }
        if (c.isTextual()) {
            return c.asText();
        }
        if (c.isArray()) { // [{"type": "text", "text": "..."}]
            StringBuilder sb = new StringBuilder();
            for (JsonNode part : c) {
                if (!"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
                    throw ApiError.invalid(where, where + ": only text content parts are supported");
                }
                sb.append(part.get("text").asText());
            }
            return sb.toString();
        }
        throw ApiError.invalid(where, where + " must be a string");
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiError.invalid(field, "'" + field + "' must be a string, got " + v.getNodeType().name().toLowerCase());
        }
        return v.asText();
    }

    private static Integer integer(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw ApiError.invalid(field, "'" + field + "' must be an integer, got " + v);
        }
        return v.intValue();
    }

    private static Double number(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw ApiError.invalid(field, "'" + field + "' must be a number, got " + v);
        }
        return v.doubleValue();
    }

    private static boolean bool(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw ApiError.invalid(field, "'" + field + "' must be true or false, got " + v);
        }
        return v.booleanValue();
    }

    private static void range(Double v, String field, double lo, double hi) {
        if (v != null && (v < lo || v > hi)) {
            throw ApiError.invalid(field, field + " must be between " + lo + " and " + hi + ", got " + v);
        }
    }
}
