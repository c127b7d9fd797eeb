package org.autoreg.tokenizer;

import java.beans.FeatureDescriptor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

/**
 * Python {@code str} methods for Jinjava, which only knows Java's: chat templates call
 * {@code content.startswith(...)}, {@code .strip('\n')}, {@code .split('</think>')} and the like.
 * Each behaves as in Python (e.g. {@code split(sep)} splits on the literal separator, not a regex).
 */
final class PythonStrings extends ELResolver {
    private static final Set<String> METHODS = Set.of("startswith", "endswith", "strip", "lstrip", "rstrip", "split",
            "upper", "lower", "title", "capitalize", "replace", "find", "count", "join", "isdigit", "isspace");

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        if (!(base instanceof String s) || method == null || !METHODS.contains(method.toString())) {
            return null;
        }
        Object[] p = params == null ? new Object[0] : params;
        Object result = call(s, method.toString(), p);
        context.setPropertyResolved(true);
        return result;
    }

    private static String arg(Object[] p, int i) {
        return i < p.length && p[i] != null ? p[i].toString() : null;
    }

    static Object call(String s, String method, Object[] p) {
        switch (method) {
            case "startswith":
                return anyOf(p, x -> s.startsWith(x));
            case "endswith":
                return anyOf(p, x -> s.endsWith(x));
            case "strip":
                return rstrip(lstrip(s, arg(p, 0)), arg(p, 0));
            case "lstrip":
                return lstrip(s, arg(p, 0));
            case "rstrip":
                return rstrip(s, arg(p, 0));
            case "split":
                return split(s, arg(p, 0), p.length > 1 ? ((Number) p[1]).intValue() : -1);
            case "upper":
                return s.toUpperCase(Locale.ROOT);
            case "lower":
                return s.toLowerCase(Locale.ROOT);
            case "title":
                return title(s);
            case "capitalize":
                return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1).toLowerCase(Locale.ROOT);
            case "replace":
                return s.replace(arg(p, 0), arg(p, 1));
            case "find":
                return (long) s.indexOf(arg(p, 0));
            case "count":
                return count(s, arg(p, 0));
            case "join":
                return join(s, p.length > 0 ? p[0] : List.of());
            case "isdigit":
                return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
            default: // isspace
                return !s.isEmpty() && s.chars().allMatch(Gpt2Split::isWhiteSpace);
        }
    }

    private static boolean anyOf(Object[] p, java.util.function.Predicate<String> test) {
        if (p.length > 0 && p[0] instanceof Iterable<?> options) {
            for (Object o : options) {
                if (test.test(String.valueOf(o))) {
                    return true;
                }
            }
            return false;
        }
        return test.test(arg(p, 0));
    }

    private static boolean strippable(char c, String chars) {
        return chars == null ? Gpt2Split.isWhiteSpace(c) : chars.indexOf(c) >= 0;
    }

    static String lstrip(String s, String chars) {
        int i = 0;
        while (i < s.length() && strippable(s.charAt(i), chars)) {
            i++;
        }
        return s.substring(i);
    }

    static String rstrip(String s, String chars) {
        int j = s.length();
        while (j > 0 && strippable(s.charAt(j - 1), chars)) {
            j--;
        }
        return s.substring(0, j);
    }

    static List<String> split(String s, String sep, int maxSplit) {
        List<String> out = new ArrayList<>();
        if (sep == null) {
            for (String part : s.trim().split("\\s+", maxSplit < 0 ? 0 : maxSplit + 1)) {
                if (!part.isEmpty()) {
                    out.add(part);
                }
            }
            return out;
        }
        int from = 0;
        while (maxSplit < 0 || out.size() < maxSplit) {
            int at = s.indexOf(sep, from);
            if (at < 0) {
                break;
            }
            out.add(s.substring(from, at));
            from = at + sep.length();
        }
        out.add(s.substring(from));
        return out;
    }

    private static String title(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean prevCased = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(prevCased ? Character.toLowerCase(c) : Character.toUpperCase(c));
            prevCased = Character.isLetter(c);
        }
        return sb.toString();
    }

    private static long count(String s, String sub) {
        if (sub.isEmpty()) {
            return s.length() + 1L;
        }
        long n = 0;
        for (int at = s.indexOf(sub); at >= 0; at = s.indexOf(sub, at + sub.length())) {
            n++;
        }
        return n;
    }

    private static String join(String sep, Object items) {
        List<String> parts = new ArrayList<>();
        if (items instanceof Iterable<?> it) {
            it.forEach(o -> parts.add(String.valueOf(o)));
        }
        return String.join(sep, parts);
    }

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
        // not ours
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return true;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return Collections.emptyIterator();
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return null;
    }
}
