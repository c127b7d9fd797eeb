package org.autoreg.tokenizer;

/**
 * A tokenizer cannot do what was asked: a missing or corrupt vocabulary file, text the vocabulary
 * cannot represent, a bad corpus. The message names the problem and how to fix it.
 */
public class TokenizerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TokenizerException(String message) {
        super(message);
    }

    public TokenizerException(String message, Throwable cause) {
        super(message, cause);
    }
}
