package org.autoreg.generate;

import java.util.ArrayList;
import java.util.List;
import org.autoreg.tokenizer.ChatMessage;

/**
 * A multi-turn conversation: each {@link #send} renders the whole history (system prompt, earlier
 * turns, the new user message) with the chat template, generates the assistant's reply and
 * appends both to the history. Not thread-safe: one per conversation.
 */
public final class ChatSession {
    private final Generator generator;
    private final String systemPrompt;
    private final GenerationConfig request;
    private final List<ChatMessage> history = new ArrayList<>();

    ChatSession(Generator generator, String systemPrompt, GenerationConfig request) {
        this.generator = generator;
        this.systemPrompt = systemPrompt;
        this.request = request == null ? GenerationConfig.EMPTY : request;
        reset();
    }

    /** Sends a user message; returns the reply (streamed to {@code streamer} if not null). */
    public Completion send(String userMessage, Generator.TextStreamer streamer) {
        List<ChatMessage> messages = new ArrayList<>(history);
        messages.add(ChatMessage.user(userMessage));
        Completion reply = generator.chat(messages, request, streamer);
        history.add(ChatMessage.user(userMessage));
        history.add(ChatMessage.assistant(reply.text()));
        return reply;
    }

    /** The conversation so far (system prompt first, if any). */
    public List<ChatMessage> history() {
        return List.copyOf(history);
    }

    /** Forgets every turn (the system prompt stays). */
    public void reset() {
        history.clear();
        if (systemPrompt != null && !systemPrompt.isEmpty()) {
            history.add(ChatMessage.system(systemPrompt));
        }
    }
}
