package dev.slipway.cli;

import java.io.Console;

/**
 * The person at the keyboard, when there is one: progress bars and questions are for them; a pipe or
 * a CI job gets plain lines and never a prompt that would hang.
 */
public interface Terminal {

    boolean present();

    /** A line typed after {@code prompt}, or null when nobody can answer. */
    String readLine(String prompt);

    /** A secret typed without echo, or null when nobody can answer. */
    char[] readPassword(String prompt);

    /** No terminal: output is piped, or a test runs the CLI. */
    static Terminal none() {
        return new Terminal() {
            @Override
            public boolean present() {
                return false;
            }

            @Override
            public String readLine(String prompt) {
                return null;
            }

            @Override
            public char[] readPassword(String prompt) {
                return null;
            }
        };
    }

    /** The process's console, if both its input and output are a terminal. */
    static Terminal system() {
        Console console = System.console();
        if (console == null || !isTerminal(console)) {
            return none();
        }
        return new Terminal() {
            @Override
            public boolean present() {
                return true;
            }

            @Override
            public String readLine(String prompt) {
                return console.readLine("%s", prompt);
            }

            @Override
            public char[] readPassword(String prompt) {
                return console.readPassword("%s", prompt);
            }
        };
    }

    /** Java 22 and later give a Console even to a pipe; they say with isTerminal() whether it is one. */
    private static boolean isTerminal(Console console) {
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException olderJava) {
            return true;
        }
    }
}
