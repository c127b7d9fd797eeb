package org.autoreg.tokenizer;

/**
 * One message of a conversation: its role ({@code "system"}, {@code "user"}, {@code "assistant"},
 * ...) and its text.
 */
public record ChatMessage(String role, String content) {
    public ChatMessage {
        if (role == null || role.isBlank()) {
            throw new IllegalArgumentException("a chat message needs a role (system, user or assistant)");
        }
        if (content == null) {
            throw new IllegalArgumentException("chat message of role '" + role + "' has no content");
        }
    }

    public static ChatMessage system(String content) {
        return new ChatMessage("system", content);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage("user", content);
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage("assistant", content);
    }
}
