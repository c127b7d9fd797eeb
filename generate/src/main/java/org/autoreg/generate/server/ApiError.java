package org.autoreg.generate.server;

/**
 * An error answered in OpenAI's shape: {@code {"error": {"message", "type", "param", "code"}}}
 * with an HTTP status.
 */
final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final int status;
    final String type;
    final String param;
    final String code;
    final Integer retryAfterSeconds;

    ApiError(int status, String type, String param, String code, String message) {
        this(status, type, param, code, message, null);
    }

    ApiError(int status, String type, String param, String code, String message, Integer retryAfterSeconds) {
        super(message);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    static ApiError invalid(String param, String message) {
        return new ApiError(400, "invalid_request_error", param, null, message);
    }
}
