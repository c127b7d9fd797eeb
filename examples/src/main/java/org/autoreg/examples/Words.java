package org.autoreg.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.autoreg.tokenizer.PreToken;
import org.autoreg.tokenizer.PreTokenizer;

/** Lowercased words and punctuation of a text, with the tokenizer module's Whitespace pre-tokenizer. */
final class Words {
    private Words() {
    }

    static List<String> of(String text) {
        List<String> out = new ArrayList<>();
        for (PreToken t : PreTokenizer.whitespace().preTokenize(text.toLowerCase(Locale.ROOT))) {
            out.add(t.text());
        }
        return out;
    }

    /** The first {@code maxChars} characters of a corpus file, as words. */
    static List<String> read(Path corpus, int maxChars) throws IOException {
        String text = Files.readString(corpus);
        return of(text.substring(0, Math.min(text.length(), maxChars)));
    }
}
