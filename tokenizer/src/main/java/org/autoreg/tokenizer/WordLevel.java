package org.autoreg.tokenizer;

import java.util.List;
import java.util.Map;

/** Word-level model: every pre-tokenized piece is one token, or the unknown token. */
final class WordLevel extends Vocabulary implements PieceEncoder {
    final String unkToken;
    private final int unkId;

    WordLevel(Map<String, Integer> vocab, String unkToken) {
        super(vocab, "WordLevel");
        this.unkToken = unkToken;
        this.unkId = unkId(unkToken, "WordLevel");
    }

    int idOf(String piece) {
        Integer id = vocab.get(piece);
        if (id != null) {
            return id;
        }
        if (unkId < 0) {
            throw new TokenizerException("word '" + piece + "' is not in the vocabulary and the tokenizer has no unk "
                    + "token; give the tokenizer an unk token (train with one) to map unknown words to it");
        }
        return unkId;
    }

    @Override
    public int[] encode(CharSequence source, int from, int to, boolean byteLevel) {
        String piece = byteLevel ? ByteLevelAlphabet.map(source, from, to) : source.subSequence(from, to).toString();
        return new int[] {idOf(piece), byteLevel ? piece.length() : to - from};
    }

    @Override
    public List<Token> tokenize(String piece) {
        return tokens(new int[] {idOf(piece), piece.length()});
    }

    @Override
    public String toString() {
        return "WordLevel(vocab=" + vocabSize() + ")";
    }
}
