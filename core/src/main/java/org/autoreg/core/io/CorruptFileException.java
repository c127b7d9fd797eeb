package org.autoreg.core.io;

/** A file autoreg wrote (or should be able to read) is damaged, truncated or of the wrong kind. */
public class CorruptFileException extends java.io.IOException {
    private static final long serialVersionUID = 1L;

    public CorruptFileException(String message) {
        super(message);
    }
}
