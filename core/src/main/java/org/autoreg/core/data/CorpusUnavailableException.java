package org.autoreg.core.data;

/** A corpus cannot be found, downloaded or verified; the message says how to supply it instead. */
public class CorpusUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CorpusUnavailableException(String message) {
        super(message);
    }

    public CorpusUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
