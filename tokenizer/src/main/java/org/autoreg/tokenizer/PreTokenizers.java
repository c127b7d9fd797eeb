package org.autoreg.tokenizer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.autoreg.tokenizer.PreTokenizer.Behavior;

/** The pre-tokenizer implementations; built through the factories on {@link PreTokenizer}. */
final class PreTokenizers {
    private PreTokenizers() {
    }

    /**
     * Receives one piece: the model text is {@code source[from, to)} (to be byte-mapped first if
     * {@code byteLevel}); a position {@code p} of {@code source} is position {@code p - shift} of
     * the normalized text (clamped to the region split).
     */
    interface PieceSink {
        void accept(CharSequence source, int from, int to, int shift, boolean byteLevel);
    }

    abstract static sealed class Base implements PreTokenizer permits ByteLevel, Split, Sequence {
        /** Splits {@code text[from, to)}. */
        abstract void split(String text, int from, int to, PieceSink sink);

        abstract ObjectNode toJson();

        /** Whether the pieces are byte-level. */
        boolean byteLevel() {
            return false;
        }

        @Override
        public String toString() {
            return toJson().toString();
        }
    }

    static final class ByteLevel extends Base {
        final boolean addPrefixSpace;
        final boolean useRegex;

        ByteLevel(boolean addPrefixSpace, boolean useRegex) {
            this.addPrefixSpace = addPrefixSpace;
            this.useRegex = useRegex;
        }

        @Override
        boolean byteLevel() {
            return true;
        }

        @Override
        void split(String text, int from, int to, PieceSink sink) {
            if (from == to) {
                return;
            }
            CharSequence source = text;
            int shift = 0;
            if (addPrefixSpace && text.charAt(from) != ' ') {
                source = " " + text.substring(from, to);
                shift = 1 - from;
                from = 0;
                to = source.length();
            }
            CharSequence src = source;
            int sh = shift;
            if (useRegex) {
                Gpt2Split.split(src, from, to, (s, e) -> sink.accept(src, s, e, sh, true));
            } else {
                sink.accept(src, from, to, sh, true);
            }
        }

        @Override
        ObjectNode toJson() {
            return Normalizers.node("ByteLevel").put("add_prefix_space", addPrefixSpace).put("trim_offsets", true)
                    .put("use_regex", useRegex);
        }
    }

    static final class Split extends Base {
        final String pattern;
        final boolean regex;
        final Behavior behavior;
        final boolean invert;
        /** Which tokenizer.json type this is ("Split", "Whitespace", "WhitespaceSplit", "Digits", "Punctuation"). */
        final String kind;
        private final Pattern compiled;

        Split(String pattern, boolean regex, Behavior behavior, boolean invert, String kind) {
            if (pattern.isEmpty()) {
                throw new IllegalArgumentException("Split pre-tokenizer: the pattern is empty; give a delimiter");
            }
            this.pattern = pattern;
            this.regex = regex;
            this.behavior = behavior;
            this.invert = invert;
            this.kind = kind;
            this.compiled = Pattern.compile(regex ? pattern : Pattern.quote(pattern), Pattern.UNICODE_CHARACTER_CLASS);
        }

        @Override
        void split(String text, int from, int to, PieceSink sink) {
            // Segments covering [from, to): even index = not matched, odd = matched (before inversion).
            List<int[]> segs = new ArrayList<>();
            Matcher m = compiled.matcher(text).region(from, to);
            int last = from;
            while (m.find()) {
                if (m.end() == m.start()) {
                    continue;
                }
                segs.add(new int[] {last, m.start(), invert ? 1 : 0});
                segs.add(new int[] {m.start(), m.end(), invert ? 0 : 1});
                last = m.end();
            }
            segs.add(new int[] {last, to, invert ? 1 : 0});
            emit(text, segs, sink);
        }

        private void emit(String text, List<int[]> segs, PieceSink sink) {
            // The piece being built: [curStart, curEnd), whether it ends in a delimiter, whether it may still grow.
            int curStart = -1;
            int curEnd = -1;
            boolean curDelim = false;
            for (int[] seg : segs) {
                int s = seg[0];
                int e = seg[1];
                boolean delim = seg[2] == 1;
                if (s == e) {
                    continue;
                }
                boolean merge;
                switch (behavior) {
                    case REMOVED:
                        if (!delim) {
                            sink.accept(text, s, e, 0, false);
                        }
                        continue;
                    case ISOLATED:
                        sink.accept(text, s, e, 0, false);
                        continue;
                    case MERGED_WITH_PREVIOUS:
                        merge = delim && curStart >= 0 && !curDelim; // "the-final--x" -> the- final- - x
                        break;
                    case MERGED_WITH_NEXT:
                        merge = curStart >= 0 && curDelim && !delim; // "the-final--x" -> the -final - -x
                        break;
                    default: // CONTIGUOUS
                        merge = delim && curStart >= 0 && curDelim; // "the-final--x" -> the - final -- x
                        break;
                }
                if (merge) {
                    curEnd = e;
                    curDelim = behavior == Behavior.CONTIGUOUS || (behavior == Behavior.MERGED_WITH_PREVIOUS && delim);
                } else {
                    if (curStart >= 0) {
                        sink.accept(text, curStart, curEnd, 0, false);
                    }
                    curStart = s;
                    curEnd = e;
                    curDelim = delim;
                }
            }
            if (curStart >= 0) {
                sink.accept(text, curStart, curEnd, 0, false);
            }
        }

        @Override
        ObjectNode toJson() {
            switch (kind) {
                case "Whitespace":
                case "WhitespaceSplit":
                case "Digits":
                case "Punctuation":
                    return Normalizers.node(kind);
                case "Digits:individual":
                    return Normalizers.node("Digits").put("individual_digits", true);
                default:
                    ObjectNode n = Normalizers.node("Split");
                    n.putObject("pattern").put(regex ? "Regex" : "String", pattern);
                    return n.put("behavior", PreTokenizers.behaviorName(behavior)).put("invert", invert);
            }
        }
    }

    static String behaviorName(PreTokenizer.Behavior b) {
        switch (b) {
            case REMOVED:
                return "Removed";
            case ISOLATED:
                return "Isolated";
            case MERGED_WITH_PREVIOUS:
                return "MergedWithPrevious";
            case MERGED_WITH_NEXT:
                return "MergedWithNext";
            default:
                return "Contiguous";
        }
    }

    static final class Sequence extends Base {
        final List<Base> preTokenizers;

        Sequence(List<PreTokenizer> preTokenizers) {
            this.preTokenizers = preTokenizers.stream().map(p -> (Base) p).toList();
            for (int i = 0; i + 1 < this.preTokenizers.size(); i++) {
                if (this.preTokenizers.get(i).byteLevel()) {
                    throw new IllegalArgumentException("pre-tokenizer Sequence: ByteLevel must come last (it maps "
                            + "pieces to bytes; nothing can split them after that); move it to the end of the sequence");
                }
            }
        }

        @Override
        boolean byteLevel() {
            return !preTokenizers.isEmpty() && preTokenizers.get(preTokenizers.size() - 1).byteLevel();
        }

        @Override
        void split(String text, int from, int to, PieceSink sink) {
            apply(0, text, from, to, sink);
        }

        private void apply(int k, String text, int from, int to, PieceSink sink) {
            if (k == preTokenizers.size()) {
                sink.accept(text, from, to, 0, false);
                return;
            }
            if (k == preTokenizers.size() - 1) {
                preTokenizers.get(k).split(text, from, to, sink);
                return;
            }
            // Earlier stages are plain splits (shift 0, source == text): recurse into each piece.
            preTokenizers.get(k).split(text, from, to, (source, s, e, shift, byteLevel) -> apply(k + 1, text, s, e, sink));
        }

        @Override
        ObjectNode toJson() {
            ObjectNode n = Normalizers.node("Sequence");
            preTokenizers.forEach(p -> n.withArray("pretokenizers").add(p.toJson()));
            return n;
        }
    }
}
