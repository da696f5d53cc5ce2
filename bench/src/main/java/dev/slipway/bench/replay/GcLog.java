package dev.slipway.bench.replay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The heap sizes in a JVM's {@code -Xlog:gc} output: each collection logs {@code before->after(committed)},
 * and the heap used after a collection is what the JVM still held (live data plus garbage it left
 * for later, e.g. old regions a young collection does not touch).
 */
public final class GcLog {

    private static final Pattern SIZES = Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

    private final List<String> lines;

    private GcLog(List<String> lines) {
        this.lines = lines;
    }

    public static GcLog read(Path file) throws IOException {
        return new GcLog(Files.exists(file) ? Files.readAllLines(file) : List.of());
    }

    static GcLog of(List<String> lines) {
        return new GcLog(lines);
    }

    /** The largest heap in use right after a collection, in bytes. */
    public OptionalLong peakAfterGc() {
        return lines.stream().map(SIZES::matcher).filter(Matcher::find)
                .mapToLong(sizes -> bytes(sizes.group(3), sizes.group(4))).max();
    }

    /** The heap in use after the last full collection that {@code System.gc()} or {@code jcmd GC.run} asked for. */
    public OptionalLong afterLastRequestedGc() {
        OptionalLong last = OptionalLong.empty();
        for (String line : lines) {
            Matcher sizes = SIZES.matcher(line);
            if ((line.contains("System.gc()") || line.contains("Diagnostic Command")) && sizes.find()) {
                last = OptionalLong.of(bytes(sizes.group(3), sizes.group(4)));
            }
        }
        return last;
    }

    /** How many pauses with heap sizes were logged (young, mixed, remark, cleanup and full collections). */
    public long pauses() {
        return lines.stream().filter(line -> SIZES.matcher(line).find()).count();
    }

    private static long bytes(String amount, String unit) {
        long value = Long.parseLong(amount);
        return switch (unit) {
            case "K" -> value << 10;
            case "M" -> value << 20;
            default -> value << 30;
        };
    }
}
