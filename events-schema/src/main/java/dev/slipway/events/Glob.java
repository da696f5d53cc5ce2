package dev.slipway.events;

import java.util.ArrayList;
import java.util.List;

/**
 * A glob where {@code *} stands for any run of characters (none included) and every other character
 * for itself, matched in time linear in the text: O(|text| + |pattern|) per match, whatever the
 * pattern. Runs of stars collapse into one, and the literal pieces between stars are found leftmost
 * first, each with Knuth-Morris-Pratt from where the previous one ended. Taking the leftmost
 * occurrence is never wrong for star-only globs (a later piece fits after an earlier end whenever it
 * fits after a later one), so the text is read once and nothing backtracks, unlike a regular
 * expression of {@code .*} runs, whose backtracking grows with the number of stars.
 */
public final class Glob {

    private final String pattern;
    private final boolean anchoredStart;
    private final boolean anchoredEnd;
    private final List<Piece> pieces;

    private Glob(String pattern) {
        this.pattern = pattern;
        List<Piece> found = new ArrayList<>();
        for (String literal : pattern.split("\\*", -1)) {
            if (!literal.isEmpty()) {
                found.add(new Piece(literal));
            }
        }
        this.pieces = List.copyOf(found);
        this.anchoredStart = !pattern.startsWith("*");
        this.anchoredEnd = !pattern.endsWith("*");
    }

    public static Glob of(String pattern) {
        if (pattern == null) {
            throw new IllegalArgumentException("a glob is required");
        }
        return new Glob(pattern);
    }

    public String pattern() {
        return pattern;
    }

    public boolean matches(String text) {
        if (pieces.isEmpty()) {
            // only stars (any text), or the empty pattern (only the empty text)
            return !anchoredStart || text.isEmpty();
        }
        int from = 0;
        int first = 0;
        int last = pieces.size();
        if (anchoredStart) {
            String head = pieces.get(0).literal;
            if (!text.startsWith(head)) {
                return false;
            }
            if (pieces.size() == 1 && anchoredEnd) {
                return text.length() == head.length();
            }
            from = head.length();
            first = 1;
        }
        int end = text.length();
        if (anchoredEnd) {
            String tail = pieces.get(pieces.size() - 1).literal;
            if (end - tail.length() < from || !text.startsWith(tail, end - tail.length())) {
                return false;
            }
            end -= tail.length();
            last--;
        }
        for (int i = first; i < last; i++) {
            int at = pieces.get(i).indexIn(text, from, end);
            if (at < 0) {
                return false;
            }
            from = at + pieces.get(i).literal.length();
        }
        return true;
    }

    @Override
    public String toString() {
        return pattern;
    }

    /** A literal between stars with its KMP failure table, so finding it never re-reads the text. */
    private static final class Piece {

        final String literal;
        private final int[] fallback;

        Piece(String literal) {
            this.literal = literal;
            this.fallback = new int[literal.length()];
            for (int i = 1, k = 0; i < literal.length(); i++) {
                while (k > 0 && literal.charAt(i) != literal.charAt(k)) {
                    k = fallback[k - 1];
                }
                if (literal.charAt(i) == literal.charAt(k)) {
                    k++;
                }
                fallback[i] = k;
            }
        }

        /** Where the literal first occurs wholly inside text[from, end), or -1. */
        int indexIn(String text, int from, int end) {
            for (int i = from, k = 0; i < end; i++) {
                while (k > 0 && text.charAt(i) != literal.charAt(k)) {
                    k = fallback[k - 1];
                }
                if (text.charAt(i) == literal.charAt(k)) {
                    k++;
                }
                if (k == literal.length()) {
                    return i - k + 1;
                }
            }
            return -1;
        }
    }
}
