package dev.slipway.testsupport.archives;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;

/** Source archives for tests, in every format a push may use; file names map to their text. */
public final class Archives {

    /** The formats, each as its usual file suffix. */
    public enum Format { TAR, TGZ, TBZ, TXZ, ZIP }

    private Archives() {
    }

    public static byte[] of(Format format, Map<String, String> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (format == Format.ZIP) {
                try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
                    for (Map.Entry<String, String> file : files.entrySet()) {
                        zip.putArchiveEntry(new ZipArchiveEntry(file.getKey()));
                        zip.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                        zip.closeArchiveEntry();
                    }
                }
            } else {
                try (OutputStream compressed = compressor(format, bytes);
                     TarArchiveOutputStream tar = new TarArchiveOutputStream(compressed)) {
                    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                    for (Map.Entry<String, String> file : files.entrySet()) {
                        byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
                        TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
                        entry.setSize(content.length);
                        tar.putArchiveEntry(entry);
                        tar.write(content);
                        tar.closeArchiveEntry();
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static byte[] tarGz(Map<String, String> files) {
        return of(Format.TGZ, files);
    }

    private static OutputStream compressor(Format format, OutputStream out) throws IOException {
        return switch (format) {
            case TAR -> out;
            case TGZ -> new GzipCompressorOutputStream(out);
            case TBZ -> new BZip2CompressorOutputStream(out);
            case TXZ -> new XZCompressorOutputStream(out);
            case ZIP -> throw new IllegalArgumentException("zip is not a tar");
        };
    }
}
