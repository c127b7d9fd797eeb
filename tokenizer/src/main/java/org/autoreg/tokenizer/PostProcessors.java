package org.autoreg.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The post-processor implementations; built through the factories on {@link PostProcessor}. */
final class PostProcessors {
    private PostProcessors() {
    }

    abstract static sealed class Base implements PostProcessor permits Template, ByteLevel, Sequence {
        /** Processes the tokens of one sequence in place. */
        abstract Pieces process(Pieces in);

        abstract ObjectNode toJson();

        @Override
        public String toString() {
            return toJson().toString();
        }
    }

    /** One special token of a template: its key and the ids/tokens it stands for. */
    record Special(String key, int[] ids, String[] tokens) {
    }

    static final class Template extends Base {
        /** Items of the single-sequence template: null stands for the sequence ($A). */
        final List<Special> single;
        final Map<String, Special> specials;
        /** The pair template as read from tokenizer.json (kept for round trips; autoreg encodes single sequences). */
        final JsonNode pair;

        Template(List<Special> single, Map<String, Special> specials, JsonNode pair) {
            this.single = single;
            this.specials = specials;
            this.pair = pair;
            if (single.stream().filter(s -> s == null).count() != 1) {
                throw new IllegalArgumentException("TemplateProcessing: the single template must contain the sequence "
                        + "($A) exactly once");
            }
        }

        static Template parse(String template, Map<String, Integer> ids) {
            List<Special> items = new ArrayList<>();
            Map<String, Special> specials = new LinkedHashMap<>();
            for (String item : template.trim().split("\\s+")) {
                if (item.equals("$A") || item.equals("$0") || item.startsWith("$A:") || item.equals("$")) {
                    items.add(null);
                    continue;
                }
                String key = item.contains(":") && !ids.containsKey(item) ? item.substring(0, item.lastIndexOf(':')) : item;
                Integer id = ids.get(key);
                if (id == null) {
                    throw new IllegalArgumentException("TemplateProcessing: special token '" + key + "' of template '"
                            + template + "' has no id; pass its id in the special token map");
                }
                Special s = new Special(key, new int[] {id}, new String[] {key});
                specials.put(key, s);
                items.add(s);
            }
            return new Template(items, specials, null);
        }

        @Override
        public int addedTokens() {
            return single.stream().mapToInt(s -> s == null ? 0 : s.ids().length).sum();
        }

        @Override
        Pieces process(Pieces in) {
            Pieces out = new Pieces();
            for (Special s : single) {
                if (s == null) {
                    out.addAll(in);
                } else {
                    for (int k = 0; k < s.ids().length; k++) {
                        out.add(s.ids()[k], s.tokens()[k], 0, 0, true);
                    }
                }
            }
            return out;
        }

        @Override
        ObjectNode toJson() {
            ObjectNode n = Normalizers.node("TemplateProcessing");
            ArrayNode a = n.putArray("single");
            for (Special s : single) {
                if (s == null) {
                    a.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
                } else {
                    a.addObject().putObject("SpecialToken").put("id", s.key()).put("type_id", 0);
                }
            }
            if (pair != null) {
                n.set("pair", pair);
            } else {
                ArrayNode p = n.putArray("pair");
                for (JsonNode item : a) {
                    p.add(item.deepCopy());
                }
                p.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
            }
            ObjectNode st = n.putObject("special_tokens");
            for (Special s : specials.values()) {
                ObjectNode o = st.putObject(s.key()).put("id", s.key());
                ArrayNode idArray = o.putArray("ids");
                for (int id : s.ids()) {
                    idArray.add(id);
                }
                ArrayNode tokArray = o.putArray("tokens");
                for (String t : s.tokens()) {
                    tokArray.add(t);
                }
            }
            return n;
        }
    }

    static final class ByteLevel extends Base {
        final boolean trimOffsets;
        final boolean addPrefixSpace;

        ByteLevel(boolean trimOffsets, boolean addPrefixSpace) {
            this.trimOffsets = trimOffsets;
            this.addPrefixSpace = addPrefixSpace;
        }

        @Override
        public int addedTokens() {
            return 0;
        }

        private static boolean isSpace(char c) {
            return c == ByteLevelAlphabet.BYTE_TO_CHAR[' '] || Gpt2Split.isWhiteSpace(c);
        }

        @Override
        Pieces process(Pieces in) {
            if (!trimOffsets) {
                return in;
            }
            for (int i = 0; i < in.size(); i++) {
                String t = in.tokens.get(i);
                int lead = 0;
                while (lead < t.length() && isSpace(t.charAt(lead))) {
                    lead++;
                }
                int trail = 0;
                while (trail < t.length() - lead && isSpace(t.charAt(t.length() - 1 - trail))) {
                    trail++;
                }
                int s = in.starts.get(i);
                int e = in.ends.get(i);
                if (lead > 0 && !((i == 0 || s == 0) && !addPrefixSpace)) {
                    s = Math.min(s + lead, e);
                }
                if (trail > 0 && e >= trail) {
                    e = Math.max(e - trail, s);
                }
                in.starts.set(i, s);
                in.ends.set(i, e);
            }
            return in;
        }

        @Override
        ObjectNode toJson() {
            return Normalizers.node("ByteLevel").put("add_prefix_space", addPrefixSpace).put("trim_offsets", trimOffsets)
                    .put("use_regex", true);
        }
    }

    static final class Sequence extends Base {
        final List<Base> processors;

        Sequence(List<PostProcessor> processors) {
            this.processors = processors.stream().map(p -> (Base) p).toList();
        }

        @Override
        public int addedTokens() {
            return processors.stream().mapToInt(Base::addedTokens).sum();
        }

        @Override
        Pieces process(Pieces in) {
            for (Base p : processors) {
                in = p.process(in);
            }
            return in;
        }

        @Override
        ObjectNode toJson() {
            ObjectNode n = Normalizers.node("Sequence");
            ArrayNode a = n.putArray("processors");
            processors.forEach(p -> a.add(p.toJson()));
            return n;
        }
    }

}
