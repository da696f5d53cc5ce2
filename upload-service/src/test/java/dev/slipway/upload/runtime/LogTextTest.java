package dev.slipway.upload.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LogTextTest {

    private static final int MAX = 4096;

    @Test
    void coloursAndCursorMovesAreDroppedWholeAndTheTextStays() {
        assertThat(LogText.clean("\u001b[31mred\u001b[0m alert \u001b[2J\u001b[1;1Hhome", false, MAX))
                .isEqualTo("red alert home");
    }

    @Test
    void titleChangesHyperlinksAndClipboardWritesAreDroppedWhetherEndedByBelOrSt() {
        assertThat(LogText.clean("a\u001b]0;owned\u0007b\u001b]8;;http://evil\u001b\\link\u001b]8;;\u001b\\c"
                + "\u001b]52;c;ZXZpbA==\u0007d\u009b31me\u009d0;t\u009cf", false, MAX)).isEqualTo("ablinkcdef");
    }

    @Test
    void otherControlCharactersLineSeparatorsAndBidiOverridesBecomeQuestionMarksButTabsStay() {
        assertThat(LogText.clean("a\rb\u0000c\u0008d\u2028e\u202ef\tg\u007f", false, MAX)).isEqualTo("a?b?c?d?e?f\tg?");
    }

    @Test
    void anEscapeCutOffAtTheEndOfTheLineLeavesNothingBehind() {
        assertThat(LogText.clean("text\u001b[31", false, MAX)).isEqualTo("text");
        assertThat(LogText.clean("text\u001b", false, MAX)).isEqualTo("text");
        assertThat(LogText.clean("text\u001b]0;never ended", false, MAX)).isEqualTo("text");
    }

    @Test
    void aLineOverTheCapIsCutOnACharacterBoundaryAndSaysSo() {
        String cut = LogText.clean("é".repeat(100), false, 101);
        assertThat(cut).isEqualTo("é".repeat(50) + LogText.CUT);
        assertThat(LogText.clean("short", true, MAX)).isEqualTo("short" + LogText.CUT);
        assertThat(LogText.clean("x".repeat(MAX), false, MAX)).isEqualTo("x".repeat(MAX));
    }

    @Test
    void anEndlessLineIsReadOnlyUpToTheCapAndTheNextLineIsWhole() throws Exception {
        byte[] input = ("x".repeat(1_000_000) + "\nnext\r\nlast").getBytes(StandardCharsets.UTF_8);
        BoundedLines lines = new BoundedLines(new ByteArrayInputStream(input), 100);
        BoundedLines.Line first = lines.next();
        assertThat(first.text()).hasSize(100);
        assertThat(first.cut()).isTrue();
        assertThat(lines.next()).isEqualTo(new BoundedLines.Line("next", false));
        assertThat(lines.next()).isEqualTo(new BoundedLines.Line("last", false));
        assertThat(lines.next()).isNull();
    }

    @Test
    void timestampsLeadTheLineAndALineWithoutOneKeepsAllItsText() {
        LogLine line = LogSources.parse("web-0", "stdout",
                new BoundedLines.Line("2026-12-02T15:19:40.388794882Z hello \u001b[1mworld", false), MAX);
        assertThat(line.time()).hasToString("2026-12-02T15:19:40.388794882Z");
        assertThat(line.line()).isEqualTo("hello world");
        assertThat(LogSources.parse("web-0", "stdout", new BoundedLines.Line("no time here", false), MAX))
                .isEqualTo(new LogLine("web-0", null, "stdout", "no time here"));
    }
}
