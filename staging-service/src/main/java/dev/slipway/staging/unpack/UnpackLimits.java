package dev.slipway.staging.unpack;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * What an archive may unpack to ({@code slipway.staging.unpack.*}). Sizes are counted on the bytes
 * that actually come out of the decompressor (tar headers included) and on copies the unpacker
 * makes for links, never on what headers claim.
 *
 * @param maxEntries          files, folders and links; past it {@code ARCHIVE_TOO_LARGE}. A zip whose
 *                            central directory declares more is refused before it is parsed. Default 20000.
 * @param maxBytes            bytes decompressed in all, tar headers included, plus the bytes of every
 *                            hard-link copy and every symlink's target (the image holds them once per
 *                            link); past it {@code ARCHIVE_TOO_LARGE}. Default 2GB.
 * @param maxCompressionRatio bytes decompressed per byte of archive, once past {@code ratioFloor}; past it
 *                            {@code ARCHIVE_TOO_LARGE} (a zip bomb). Default 200.
 * @param ratioFloor          decompressed size below which the ratio is not checked (tiny archives
 *                            compress well). Default 64MB.
 * @param maxHeaderBytes      bytes one tar header may take, GNU long names, PAX extended headers and
 *                            sparse maps included, and PAX records one entry may carry, global ones
 *                            included; commons-compress holds them in memory, so past it
 *                            {@code ARCHIVE_HEADER_TOO_LARGE}. Real headers take a few KB. Default 1MB (1 MiB).
 * @param maxNameLength       bytes (UTF-8) of an entry's path or a link's target; past it
 *                            {@code ARCHIVE_HEADER_TOO_LARGE}. Linux's PATH_MAX. Also sizes a zip's central
 *                            directory: more than 46 bytes + this + 1 KiB per declared entry is
 *                            {@code ARCHIVE_TOO_LARGE}. Default 4096.
 */
@ConfigurationProperties(UnpackLimits.PREFIX)
public record UnpackLimits(@DefaultValue("20000") int maxEntries, @DefaultValue("2GB") DataSize maxBytes,
                           @DefaultValue("200") int maxCompressionRatio, @DefaultValue("64MB") DataSize ratioFloor,
                           @DefaultValue("1MB") DataSize maxHeaderBytes, @DefaultValue("4096") int maxNameLength) {

    static final String PREFIX = "slipway.staging.unpack";

    /** The defaults above, as Spring binds them when nothing is configured (one source of truth). */
    public static UnpackLimits defaults() {
        return new Binder().bindOrCreate(PREFIX, UnpackLimits.class);
    }
}
