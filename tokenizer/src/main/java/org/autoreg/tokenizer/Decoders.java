package org.autoreg.tokenizer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** The decoder implementations; built through the factories on {@link Decoder}. */
final class Decoders {
    private Decoders() {
    }

    abstract static sealed class Base implements Decoder permits ByteLevel, Fuse, Replace, Strip, ByteFallback,
            Metaspace, Sequence {
        /** Hugging Face's decode_chain: tokens in, (fewer or changed) tokens out. */
        abstract List<String> decodeChain(List<String> tokens);

        abstract ObjectNode toJson();

        @Override
        public String decode(List<String> tokens) {
            return String.join("", decodeChain(tokens));
        }

        @Override
        public String toString() {
            return toJson().toString();
        }
    }

    static final class ByteLevel extends Base {
        @Override
        List<String> decodeChain(List<String> tokens) {
            int total = 0;
            for (String t : tokens) {
                total += t.length() * 4;
            }
            byte[] bytes = new byte[total];
            int n = 0;
            for (String t : tokens) {
                boolean allMapped = true;
                for (int i = 0; i < t.length(); i++) {
                    if (ByteLevelAlphabet.byteOf(t.charAt(i)) < 0) {
                        allMapped = false;
                        break;
                    }
                }
                if (allMapped) {
                    for (int i = 0; i < t.length(); i++) {
                        bytes[n++] = (byte) ByteLevelAlphabet.byteOf(t.charAt(i));
                    }
                } else {
                    // An added token outside the byte alphabet: its own UTF-8 bytes (as Hugging Face does).
                    n = Utf8.encode(t, 0, t.length(), bytes, n);
                }
            }
            return List.of(Utf8.decode(bytes, n));
        }

        @Override
        ObjectNode toJson() {
            return Normalizers.node("ByteLevel").put("add_prefix_space", true).put("trim_offsets", true)
                    .put("use_regex", true);
        }
    }

    static final class Fuse extends Base {
        @Override
        List<String> decodeChain(List<String> tokens) {
            return List.of(String.join("", tokens));
        }

        @Override
        ObjectNode toJson() {
            return Normalizers.node("Fuse");
        }
    }

    static final class Replace extends Base {
        final String pattern;
        final String content;

        Replace(String pattern, String content) {
            this.pattern = pattern;
            this.content = content;
        }

        @Override
        List<String> decodeChain(List<String> tokens) {
            List<String> out = new ArrayList<>(tokens.size());
            tokens.forEach(t -> out.add(t.replace(pattern, content)));
            return out;
        }

        @Override
        ObjectNode toJson() {
            ObjectNode n = Normalizers.node("Replace");
            n.putObject("pattern").put("String", pattern);
            return n.put("content", content);
        }
    }

    static final class Strip extends Base {
        final char content;
        final int start;
        final int stop;

        Strip(char content, int start, int stop) {
            this.content = content;
            this.start = start;
            this.stop = stop;
        }

        @Override
        List<String> decodeChain(List<String> tokens) {
            List<String> out = new ArrayList<>(tokens.size());
            for (String t : tokens) {
                int i = 0;
                while (i < start && i < t.length() && t.charAt(i) == content) {
                    i++;
                }
                int j = t.length();
                int k = 0;
                while (k < stop && j > i && t.charAt(j - 1) == content) {
                    j--;
                    k++;
                }
                out.add(t.substring(i, j));
            }
            return out;
        }

        @Override
        ObjectNode toJson() {
            return Normalizers.node("Strip").put("content", String.valueOf(content)).put("start", start).put("stop", stop);
        }
    }

    static final class ByteFallback extends Base {
        private static int byteOf(String t) {
            if (t.length() == 6 && t.startsWith("<0x") && t.endsWith(">")) {
                try {
                    return Integer.parseInt(t.substring(3, 5), 16);
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
            return -1;
        }

        @Override
        List<String> decodeChain(List<String> tokens) {
            List<String> out = new ArrayList<>(tokens.size());
            byte[] pending = new byte[tokens.size()];
            int n = 0;
            for (String t : tokens) {
                int b = byteOf(t);
                if (b >= 0) {
                    pending[n++] = (byte) b;
                    continue;
                }
                n = flush(pending, n, out);
                out.add(t);
            }
            flush(pending, n, out);
            return out;
        }

        /** Valid UTF-8 becomes its text; otherwise one U+FFFD per byte, as Hugging Face does. */
        private static int flush(byte[] pending, int n, List<String> out) {
            if (n == 0) {
                return 0;
            }
            String s = Utf8.decode(pending, n);
            if (s.indexOf('\uFFFD') >= 0) {
                out.add("\uFFFD".repeat(n));
            } else {
                out.add(s);
            }
            return 0;
        }

        @Override
        ObjectNode toJson() {
            return Normalizers.node("ByteFallback");
        }
    }

    static final class Metaspace extends Base {
        final char replacement;
        final String prependScheme;
        final boolean split;

        Metaspace(char replacement, String prependScheme, boolean split) {
            this.replacement = replacement;
            this.prependScheme = prependScheme;
            this.split = split;
        }

        @Override
        List<String> decodeChain(List<String> tokens) {
            List<String> out = new ArrayList<>(tokens.size());
            for (int i = 0; i < tokens.size(); i++) {
                String t = tokens.get(i).replace(replacement, ' ');
                if (i == 0 && !"never".equals(prependScheme) && t.startsWith(" ")) {
                    t = t.substring(1);
                }
                out.add(t);
            }
            return out;
        }

        @Override
        ObjectNode toJson() {
            return Normalizers.node("Metaspace").put("replacement", String.valueOf(replacement))
                    .put("prepend_scheme", prependScheme).put("split", split);
        }
    }

    /** True when {@code d} is (or its sequence holds) the byte-level decoder. */
    static boolean byteLevel(Decoder d) {
        return d instanceof ByteLevel || d instanceof Sequence s && s.decoders.stream().anyMatch(Decoders::byteLevel);
    }

    static final class Sequence extends Base {
        final List<Base> decoders;

        Sequence(List<Decoder> decoders) {
            this.decoders = decoders.stream().map(d -> (Base) d).toList();
        }

        @Override
        List<String> decodeChain(List<String> tokens) {
            for (Base d : decoders) {
                tokens = d.decodeChain(tokens);
            }
            return tokens;
        }

        @Override
        ObjectNode toJson() {
            ObjectNode n = Normalizers.node("Sequence");
            ArrayNode a = n.putArray("decoders");
            decoders.forEach(d -> a.add(d.toJson()));
            return n;
        }
    }
}
