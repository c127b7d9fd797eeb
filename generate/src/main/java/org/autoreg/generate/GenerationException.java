package org.autoreg.generate;

/**
 * A generation request that cannot be served as given (an invalid parameter, a prompt that does
 * not fit): the message names the problem and the fix. The CLI reports it as a usage error (exit
 * code 2); a server answers it with 400.
 */
public class GenerationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public GenerationException(String message) {
        super(message);
    }
}
