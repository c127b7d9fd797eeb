package org.autoreg.tokenizer;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import jinjava.javax.el.CompositeELResolver;

/**
 * Renders Hugging Face chat templates (Jinja) with Jinjava, configured like transformers'
 * {@code apply_chat_template}: {@code trim_blocks}, {@code lstrip_blocks}, the
 * {@code raise_exception} and {@code strftime_now} functions, and the variables
 * {@code messages}, {@code add_generation_prompt}, {@code bos_token}, {@code eos_token},
 * {@code pad_token}, {@code unk_token}.
 */
final class ChatTemplate {
    /** ChatML, the default when a tokenizer has no template (as Hugging Face's former default). */
    static final String CHATML = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + "
            + "message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}"
            + "{{ '<|im_start|>assistant\\n' }}{% endif %}";

    private final String source;
    private final Jinjava jinjava;

    ChatTemplate(String source) {
        // Jinja drops a single trailing newline of the template (keep_trailing_newline=False).
        this.source = rewrite(source.endsWith("\n") ? source.substring(0, source.length() - 1) : source);
        CompositeELResolver resolver = new CompositeELResolver();
        resolver.add(new PythonStrings());
        resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_WRITE);
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withElResolver(resolver)
                .withTrimBlocks(true)
                .withLstripBlocks(true)
                .withLegacyOverrides(LegacyOverrides.newBuilder()
                        .withUsePyishObjectMapper(true)
                        .withKeepNullableLoopValues(true)
                        .withParseWhitespaceControlStrictly(true)
                        .withUseNaturalOperatorPrecedence(true)
                        .withAllowAdjacentTextNodes(true)
                        .withUseTrimmingForNotesAndExpressions(true)
                        .withHandleBackslashInQuotesOnly(true)
                        .withEvaluateMapKeys(true)
                        .build())
                .build();
        this.jinjava = new Jinjava(config);
        jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", "raise_exception", ChatTemplate.class,
                "raiseException", String.class));
        jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", "strftime_now", ChatTemplate.class,
                "strftimeNow", String.class));
    }

    String source() {
        return source;
    }

    private static final Pattern REVERSE_SLICE = Pattern.compile("([A-Za-z_][A-Za-z0-9_.]*)\\[\\s*:\\s*:\\s*-1\\s*\\]");

    /**
     * Rewrites the two Jinja constructs real chat templates use that Jinjava parses differently:
     * {@code xs[::-1]} becomes {@code (xs|reverse)}, and keyword arguments of {@code namespace(...)}
     * get parentheses, since Jinjava binds {@code n=a|length - 1} as {@code (n=a|length) - 1}.
     */
    static String rewrite(String template) {
        String s = REVERSE_SLICE.matcher(template).replaceAll("($1|reverse)");
        StringBuilder out = new StringBuilder(s.length() + 16);
        int i = 0;
        while (true) {
            int at = s.indexOf("namespace(", i);
            if (at < 0 || (at > 0 && (Character.isLetterOrDigit(s.charAt(at - 1)) || s.charAt(at - 1) == '_'))) {
                if (at < 0) {
                    out.append(s, i, s.length());
                    return out.toString();
                }
                out.append(s, i, at + 1);
                i = at + 1;
                continue;
            }
            int open = at + "namespace".length();
            List<String> args = new ArrayList<>();
            int close = arguments(s, open, args);
            if (close < 0) {
                out.append(s, i, s.length());
                return out.toString();
            }
            out.append(s, i, open + 1);
            for (int k = 0; k < args.size(); k++) {
                String a = args.get(k);
                int eq = a.indexOf('=');
                boolean kwarg = eq > 0 && a.substring(0, eq).trim().matches("[A-Za-z_][A-Za-z0-9_]*")
                        && (eq + 1 >= a.length() || a.charAt(eq + 1) != '=');
                out.append(k == 0 ? "" : ",").append(kwarg ? a.substring(0, eq + 1) + "(" + a.substring(eq + 1) + ")" : a);
            }
            out.append(')');
            i = close + 1;
        }
    }

    /**
     * Splits the argument list of the call whose '(' is at {@code open} into {@code args} (at
     * commas outside brackets and quotes) and returns the index of its ')'; -1 if it has none.
     */
    private static int arguments(String s, int open, List<String> args) {
        int depth = 0;
        char quote = 0;
        int last = open + 1;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
                if (depth == 0) {
                    args.add(s.substring(last, i));
                    return c == ')' ? i : -1;
                }
            } else if (c == ',' && depth == 1) {
                args.add(s.substring(last, i));
                last = i + 1;
            }
        }
        return -1;
    }

    /** Raised by a template's {@code raise_exception(message)}. */
    static final class TemplateRaised extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TemplateRaised(String message) {
            super(message);
        }
    }

    /** The template's {@code raise_exception}. */
    public static String raiseException(String message) {
        throw new TemplateRaised(message);
    }

    /** The template's {@code strftime_now}: the current local time in a Python strftime format. */
    public static String strftimeNow(String format) {
        LocalDateTime now = LocalDateTime.now();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 == format.length()) {
                sb.append(c);
                continue;
            }
            char f = format.charAt(++i);
            String pattern;
            switch (f) {
                case 'd': pattern = "dd"; break;
                case 'm': pattern = "MM"; break;
                case 'Y': pattern = "yyyy"; break;
                case 'y': pattern = "yy"; break;
                case 'B': pattern = "MMMM"; break;
                case 'b': pattern = "MMM"; break;
                case 'A': pattern = "EEEE"; break;
                case 'a': pattern = "EEE"; break;
                case 'H': pattern = "HH"; break;
                case 'I': pattern = "hh"; break;
                case 'M': pattern = "mm"; break;
                case 'S': pattern = "ss"; break;
                case 'p': pattern = "a"; break;
                case 'j': pattern = "DDD"; break;
                case '%': sb.append('%'); continue;
                default: sb.append('%').append(f); continue;
            }
            sb.append(now.format(DateTimeFormatter.ofPattern(pattern, Locale.ENGLISH)));
        }
        return sb.toString();
    }

    /** Renders the template; a template error or {@code raise_exception} becomes a {@link TokenizerException}. */
    String render(List<ChatMessage> messages, boolean addGenerationPrompt, SpecialTokens special,
            Map<String, Object> extra) {
        Map<String, Object> vars = new HashMap<>(extra);
        List<Map<String, Object>> msgs = new ArrayList<>();
        for (ChatMessage m : messages) {
            Map<String, Object> mm = new LinkedHashMap<>();
            mm.put("role", m.role());
            mm.put("content", m.content());
            msgs.add(mm);
        }
        vars.put("messages", msgs);
        vars.put("add_generation_prompt", addGenerationPrompt);
        vars.put("bos_token", special.bos() == null ? "" : special.bos());
        vars.put("eos_token", special.eos() == null ? "" : special.eos());
        vars.put("pad_token", special.pad() == null ? "" : special.pad());
        vars.put("unk_token", special.unk() == null ? "" : special.unk());
        RenderResult result = jinjava.renderForResult(source, vars);
        for (TemplateError e : result.getErrors()) {
            if (e.getSeverity() != TemplateError.ErrorType.FATAL) {
                continue;
            }
            for (Throwable t = e.getException(); t != null; t = t.getCause()) {
                if (t instanceof TemplateRaised) {
                    throw new TokenizerException("chat template: " + t.getMessage());
                }
            }
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            if (msg.contains(TemplateRaised.class.getSimpleName()) || msg.contains("raise_exception")) {
                throw new TokenizerException("chat template: " + msg);
            }
            throw new TokenizerException("chat template error at line " + e.getLineno() + ": " + msg
                    + "; check the template (Jinja syntax as Hugging Face chat templates use it)");
        }
        return result.getOutput();
    }
}
