package dev.slipway.staging.unpack;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * What an archive may unpack to ({@code slipway.staging.unpack.*}): past any of these it is refused
 * as {@code ARCHIVE_TOO_LARGE}, counted on the bytes actually written, not on what headers claim.
 *
 * @param maxEntries          files, folders and links
 * @param maxBytes            bytes written in all
 * @param maxCompressionRatio bytes written per byte of archive, once past {@code ratioFloor}
 * @param ratioFloor          unpacked size below which the ratio is not checked (tiny archives compress well)
 */
@ConfigurationProperties("slipway.staging.unpack")
public record UnpackLimits(@DefaultValue("20000") int maxEntries, @DefaultValue("2GB") DataSize maxBytes,
                           @DefaultValue("200") int maxCompressionRatio, @DefaultValue("64MB") DataSize ratioFloor) {
}
