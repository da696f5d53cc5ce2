package dev.slipway.cli;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** A terminal whose person types the given answers in turn, and which keeps the prompts it was shown. */
public final class ScriptedTerminal implements Terminal {

    private final Deque<String> answers;
    private final List<String> prompts = new ArrayList<>();

    public ScriptedTerminal(String... answers) {
        this.answers = new ArrayDeque<>(List.of(answers));
    }

    @Override
    public boolean present() {
        return true;
    }

    @Override
    public String readLine(String prompt) {
        prompts.add(prompt);
        return answers.poll();
    }

    @Override
    public char[] readPassword(String prompt) {
        String answer = readLine(prompt);
        return answer == null ? null : answer.toCharArray();
    }

    public List<String> prompts() {
        return prompts;
    }
}
