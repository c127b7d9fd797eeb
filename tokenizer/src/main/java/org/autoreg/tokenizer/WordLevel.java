package org.autoreg.tokenizer;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/** Word-level model: every pre-tokenized piece is one token, or the unknown token. */
final class WordLevel implements Model, PieceEncoder {
    private final Map<String, Integer> vocab;
    private final String[] idToToken;
    final String unkToken;
    private final int unkId;

    WordLevel(Map<String, Integer> vocab, String unkToken) {
        this.idToToken = Vocabularies.invert(vocab, "WordLevel");
        this.vocab = Vocabularies.inIdOrder(idToToken);
        this.unkToken = unkToken;
        if (unkToken != null && !vocab.containsKey(unkToken)) {
            throw new IllegalArgumentException("WordLevel model: unk_token '" + unkToken + "' is not in the vocabulary; "
                    + "add it to the vocabulary or remove unk_token");
        }
        this.unkId = unkToken == null ? -1 : vocab.get(unkToken);
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
        int id = idOf(piece);
        return List.of(new Token(id, idToToken[id], 0, piece.length()));
    }

    @Override
    public OptionalInt tokenToId(String token) {
        Integer id = vocab.get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    @Override
    public String idToToken(int id) {
        return Vocabularies.token(idToToken, id);
    }

    @Override
    public int vocabSize() {
        return idToToken.length;
    }

    @Override
    public Map<String, Integer> vocab() {
        return vocab;
    }

    @Override
    public String toString() {
        return "WordLevel(vocab=" + vocabSize() + ")";
    }
}
