package org.autoreg.tokenizer;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The normalizer implementations; built through the factories on {@link Normalizer}. */
final class Normalizers {
    private Normalizers() {
    }

    static ObjectNode node(String type) {
        return JsonNodeFactory.instance.objectNode().put("type", type);
    }

    abstract static sealed class Base implements Normalizer permits Lowercase, Unicode, StripAccents, Strip, Replace,
            Prepend, Sequence {
        /** Appends the normalized form of {@code in} to {@code out}, keeping the alignment. */
        abstract void apply(Aligned in, Aligned out);

        /** The tokenizer.json form. */
        abstract ObjectNode toJson();

        @Override
        public String normalize(String text) {
            Aligned out = new Aligned(text.length());
            apply(Aligned.of(text, 0), out);
            return out.text.toString();
        }

        @Override
        public String toString() {
            return toJson().toString();
        }
    }

    static final class Lowercase extends Base {
        @Override
        public String normalize(String text) {
            return lower(text);
        }

        /** Lowercases code point by code point, without context rules (Rust's per-char lowercase). */
        static String lower(String text) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c >= 0x80 || (c >= 'A' && c <= 'Z')) {
                    Aligned out = new Aligned(text.length());
                    new Lowercase().apply(Aligned.of(text, 0), out);
                    return out.text.toString();
                }
            }
            return text;
        }

        @Override
        void apply(Aligned in, Aligned out) {
            CharSequence s = in.text;
            for (int i = 0; i < s.length(); ) {
                int cp = Character.codePointAt(s, i);
                int n = Character.charCount(cp);
                if (cp < 0x80) {
                    out.copy(in, i, i + 1);
                    if (cp >= 'A' && cp <= 'Z') {
                        out.text.setCharAt(out.text.length() - 1, (char) (cp + 32));
                    }
                } else {
                    String lower = new String(Character.toChars(cp)).toLowerCase(Locale.ROOT);
                    if (lower.length() == n) {
                        int at = out.length();
                        out.copy(in, i, i + n);
                        out.text.replace(at, at + n, lower);
                    } else {
                        out.append(lower, in.start.get(i), in.end.get(i + n - 1));
                    }
                }
                i += n;
            }
        }

        @Override
        ObjectNode toJson() {
            return node("Lowercase");
        }
    }

    static final class Unicode extends Base {
        final java.text.Normalizer.Form form;

        Unicode(java.text.Normalizer.Form form) {
            this.form = form;
        }

        @Override
        public String normalize(String text) {
            return java.text.Normalizer.normalize(text, form);
        }

        /** Whether a code point can start a segment that normalizes independently of what precedes it. */
        private static boolean startsSegment(int cp) {
            int type = Character.getType(cp);
            if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
                    || type == Character.COMBINING_SPACING_MARK) {
                return false;
            }
            // Hangul vowel and trailing jamo compose with the preceding jamo.
            return !(cp >= 0x1160 && cp <= 0x11FF) && !(cp >= 0xD7B0 && cp <= 0xD7FF);
        }

        @Override
        void apply(Aligned in, Aligned out) {
            String s = in.text.toString();
            String whole = normalize(s);
            if (whole.equals(s)) {
                out.copy(in, 0, in.length());
                return;
            }
            // Normalize segment by segment so each output char is aligned with the input chars it came from.
            Aligned tmp = new Aligned(whole.length());
            int segStart = 0;
            for (int i = 0; i <= s.length(); ) {
                int cp = i < s.length() ? s.codePointAt(i) : -1;
                if (i == s.length() || (i > segStart && startsSegment(cp))) {
                    String seg = java.text.Normalizer.normalize(s.substring(segStart, i), form);
                    tmp.append(seg, in.start.get(segStart), in.end.get(i - 1));
                    segStart = i;
                }
                if (i == s.length()) {
                    break;
                }
                i += Character.charCount(cp);
            }
            if (tmp.text.toString().equals(whole)) {
                out.copy(tmp, 0, tmp.length());
            } else {
                // Composition crossed a segment boundary: align the whole text with the whole input span.
                out.append(whole, in.originalStart(0, in.length()), in.originalEnd(0, in.length()));
            }
        }

        @Override
        ObjectNode toJson() {
            return node(form.name());
        }
    }

    static final class StripAccents extends Base {
        @Override
        void apply(Aligned in, Aligned out) {
            CharSequence s = in.text;
            for (int i = 0; i < s.length(); ) {
                int cp = Character.codePointAt(s, i);
                int n = Character.charCount(cp);
                if (Character.getType(cp) != Character.NON_SPACING_MARK) {
                    out.copy(in, i, i + n);
                }
                i += n;
            }
        }

        @Override
        ObjectNode toJson() {
            return node("StripAccents");
        }
    }

    static final class Strip extends Base {
        final boolean left;
        final boolean right;

        Strip(boolean left, boolean right) {
            this.left = left;
            this.right = right;
        }

        @Override
        void apply(Aligned in, Aligned out) {
            int i = 0;
            int j = in.length();
            while (left && i < j && Gpt2Split.isWhiteSpace(in.text.charAt(i))) {
                i++;
            }
            while (right && j > i && Gpt2Split.isWhiteSpace(in.text.charAt(j - 1))) {
                j--;
            }
            out.copy(in, i, j);
        }

        @Override
        ObjectNode toJson() {
            return node("Strip").put("strip_left", left).put("strip_right", right);
        }
    }

    static final class Replace extends Base {
        final String pattern;
        final boolean regex;
        final String content;
        private final Pattern compiled;

        Replace(String pattern, boolean regex, String content) {
            if (pattern.isEmpty()) {
                throw new IllegalArgumentException("Replace normalizer: the pattern is empty; give the text to replace");
            }
            this.pattern = pattern;
            this.regex = regex;
            this.content = content;
            this.compiled = Pattern.compile(regex ? pattern : Pattern.quote(pattern));
        }

        @Override
        void apply(Aligned in, Aligned out) {
            Matcher m = compiled.matcher(in.text);
            int last = 0;
            while (m.find()) {
                if (m.end() == m.start()) {
                    continue;
                }
                out.copy(in, last, m.start());
                out.append(content, in.start.get(m.start()), in.end.get(m.end() - 1));
                last = m.end();
            }
            out.copy(in, last, in.length());
        }

        @Override
        ObjectNode toJson() {
            ObjectNode n = node("Replace");
            n.putObject("pattern").put(regex ? "Regex" : "String", pattern);
            return n.put("content", content);
        }
    }

    static final class Prepend extends Base {
        final String prefix;

        Prepend(String prefix) {
            this.prefix = prefix;
        }

        @Override
        void apply(Aligned in, Aligned out) {
            if (in.length() > 0) {
                out.append(prefix, in.start.get(0), in.end.get(0));
            }
            out.copy(in, 0, in.length());
        }

        @Override
        ObjectNode toJson() {
            return node("Prepend").put("prepend", prefix);
        }
    }

    static final class Sequence extends Base {
        final List<Base> normalizers;

        Sequence(List<Normalizer> normalizers) {
            this.normalizers = normalizers.stream().map(n -> (Base) n).toList();
        }

        @Override
        public String normalize(String text) {
            for (Base n : normalizers) {
                text = n.normalize(text);
            }
            return text;
        }

        @Override
        void apply(Aligned in, Aligned out) {
            Aligned cur = in;
            for (Base n : normalizers) {
                Aligned next = new Aligned(cur.length());
                n.apply(cur, next);
                cur = next;
            }
            out.copy(cur, 0, cur.length());
        }

        @Override
        ObjectNode toJson() {
            ObjectNode n = node("Sequence");
            normalizers.forEach(x -> n.withArray("normalizers").add(x.toJson()));
            return n;
        }
    }
}
