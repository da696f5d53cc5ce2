package dev.slipway.staging.unpack;

import dev.slipway.events.ReasonCodes;
import org.springframework.util.unit.DataSize;

/**
 * Every refusal the unpacker makes, in one place: each names what is wrong and what the user should
 * change, since the message is all a user sees of a failed push.
 */
final class Refusals {

    private static final int SHOWN_NAME = 200;
    private static final String REBUILD = "build the archive again with a standard tool "
            + "(tar -czf app.tgz -C app . or zip -r app.zip .) and push again";

    private Refusals() {
    }

    // paths

    static UnsafeArchiveException absolutePath(String name) {
        return new UnsafeArchiveException(ReasonCodes.ARCHIVE_UNSAFE_PATH, "entry '" + shown(name)
                + "' has an absolute path; archive the app folder with relative paths (tar -czf app.tgz -C app .)");
    }

    static UnsafeArchiveException escapingPath(String name) {
        return new UnsafeArchiveException(ReasonCodes.ARCHIVE_UNSAFE_PATH, "entry '" + shown(name)
                + "' escapes the source folder; rebuild the archive from inside the app folder");
    }

    static UnsafeArchiveException invalidPath(String name) {
        return new UnsafeArchiveException(ReasonCodes.ARCHIVE_UNSAFE_PATH, "entry '" + shown(name)
                + "' is not a valid file name; rename it and push again");
    }

    static UnsafeArchiveException repeatedPath(String name) {
        return new UnsafeArchiveException(ReasonCodes.ARCHIVE_UNSAFE_PATH, "entry '" + shown(name)
                + "' appears twice, or as a link and as a file or folder; archives must not repeat a path");
    }

    static UnsafeArchiveException tooDeep(String name, int max) {
        return new UnsafeArchiveException(ReasonCodes.ARCHIVE_UNSAFE_PATH, "entry '" + shown(name)
                + "' is more than " + max + " folders deep; no source needs that, flatten it and push again");
    }

    static UnsafeArchiveException zipNamesDiffer(String central, String local) {
        return new UnsafeArchiveException(ReasonCodes.ARCHIVE_UNSAFE_PATH, "zip entry '" + shown(central)
                + "' is named '" + shown(local) + "' in its local header; the two names of an entry must agree: "
                + REBUILD);
    }

    static UnsafeArchiveException nameTooLong(String what, String name, int max) {
        return new UnsafeArchiveException(ReasonCodes.ARCHIVE_HEADER_TOO_LARGE, what + " '" + shown(name)
                + "' is longer than " + max + " bytes (slipway.staging.unpack.max-name-length); shorten it and "
                + "push again");
    }

    static UnsafeArchiveException tooManyFolders(int max) {
        return new UnsafeArchiveException(ReasonCodes.ARCHIVE_TOO_LARGE, "the archive's paths need more than " + max
                + " folders (slipway.staging.unpack.max-entries), listed or not; push a smaller source");
    }

    static UnsafeArchiveException headerTooLarge(int entriesBefore, DataSize max) {
        return new UnsafeArchiveException(ReasonCodes.ARCHIVE_HEADER_TOO_LARGE, "the tar header after entry "
                + entriesBefore + " (a GNU long name, PAX extended header or sparse map) is larger than "
                + max.toKilobytes() + " KiB (slipway.staging.unpack.max-header-bytes), where real sources need a "
                + "few KB; shorten the paths it names, or " + REBUILD);
    }

    static UnsafeArchiveException paxHeadersTooLarge(String name, DataSize max) {
        return new UnsafeArchiveException(ReasonCodes.ARCHIVE_HEADER_TOO_LARGE, "entry '" + shown(name)
                + "' carries more than " + max.toKilobytes() + " KiB of PAX header records, global ones included "
                + "(slipway.staging.unpack.max-header-bytes), where real sources need a few KB; " + REBUILD);
    }

    // links

    static UnsafeArchiveException writtenThroughLink(String name, String link) {
        return new UnsafeArchiveException(ReasonCodes.ARCHIVE_UNSAFE_LINK, "entry '" + shown(name)
                + "' would be written through the link '" + shown(link) + "'; archive the real folder instead");
    }

    static UnsafeArchiveException linkOutside(String name, String target) {
        return link(name, target, "points outside the source folder");
    }

    static UnsafeArchiveException linkResolvesOutside(String name, String target) {
        return link(name, target, "resolves, through other links, outside the source folder");
    }

    static UnsafeArchiveException linkToFolder(String name, String target) {
        return link(name, target, "points at a folder (the image builder would follow it, maybe forever)");
    }

    static UnsafeArchiveException danglingLink(String name, String target) {
        return link(name, target, "points at nothing in the archive");
    }

    static UnsafeArchiveException loopingLink(String name, String target) {
        return link(name, target, "never resolves (its links form a loop, or a chain too long to follow)");
    }

    static UnsafeArchiveException hardLinkToNothing(String name, String target) {
        return new UnsafeArchiveException(ReasonCodes.ARCHIVE_UNSAFE_LINK, "hard link '" + shown(name)
                + "' points at '" + shown(target) + "', which is not a file unpacked before it; "
                + "archive the file itself instead");
    }

    private static UnsafeArchiveException link(String name, String target, String problem) {
        return new UnsafeArchiveException(ReasonCodes.ARCHIVE_UNSAFE_LINK, "link '" + shown(name) + "' -> '"
                + shown(target) + "' " + problem + "; links may only point, by a relative path, at a file inside "
                + "the app: replace it with a copy of what it points at, or remove it");
    }

    // special files: what each kind is called in a message

    static final String FIFO = "a named pipe (FIFO)";
    static final String CHARACTER_DEVICE = "a character device";
    static final String BLOCK_DEVICE = "a block device";
    static final String SOCKET = "a socket";

    static UnsafeArchiveException specialFile(String name, String kind) {
        return new UnsafeArchiveException(ReasonCodes.ARCHIVE_SPECIAL_FILE, "entry '" + shown(name) + "' is "
                + kind + "; source archives hold only files, folders and links: leave it out of the archive");
    }

    // sizes

    static UnsafeArchiveException tooManyEntries(int max) {
        return new UnsafeArchiveException(ReasonCodes.ARCHIVE_TOO_LARGE, "the archive has more than " + max
                + " entries (slipway.staging.unpack.max-entries); leave dependencies and build output "
                + "(node_modules, target/) out of it");
    }

    static UnsafeArchiveException zipDeclaresTooManyEntries(long declared, int max) {
        return new UnsafeArchiveException(ReasonCodes.ARCHIVE_TOO_LARGE, "the zip's central directory declares "
                + Long.toUnsignedString(declared) + " entries, more than " + max
                + " (slipway.staging.unpack.max-entries); leave dependencies and build output out of it");
    }

    static UnsafeArchiveException zipDirectoryTooLarge(long size, long entries) {
        return new UnsafeArchiveException(ReasonCodes.ARCHIVE_TOO_LARGE, "the zip's central directory claims "
                + Long.toUnsignedString(size) + " bytes for " + entries + " entries, more than any real zip needs; "
                + REBUILD);
    }

    static UnsafeArchiveException tooManyBytes(DataSize max) {
        return new UnsafeArchiveException(ReasonCodes.ARCHIVE_TOO_LARGE, "the archive unpacks to more than "
                + max.toMegabytes() + " MB (slipway.staging.unpack.max-bytes), links' copies included; "
                + "leave dependencies and build output out of it");
    }

    static UnsafeArchiveException bomb(int ratio) {
        return new UnsafeArchiveException(ReasonCodes.ARCHIVE_TOO_LARGE, "the archive unpacks to more than "
                + ratio + " times its size, like a zip bomb (slipway.staging.unpack.max-compression-ratio); "
                + "push the sources themselves");
    }

    static UnsafeArchiveException decoderMemory(long neededKiB, long limitKiB) {
        return new UnsafeArchiveException(ReasonCodes.ARCHIVE_TOO_LARGE, "the archive needs " + (neededKiB >> 10)
                + " MiB of memory to decompress, more than " + (limitKiB >> 10) + " MiB; compress it with "
                + "xz's default preset (-6) or with gzip");
    }

    // formats

    static UnsafeArchiveException unknownFormat() {
        return new UnsafeArchiveException(ReasonCodes.ARCHIVE_FORMAT_UNKNOWN,
                "the source is not a zip, tar, tar.gz, tar.bz2 or tar.xz archive; " + REBUILD);
    }

    static UnsafeArchiveException zipMethod(String name, int method) {
        return new UnsafeArchiveException(ReasonCodes.ARCHIVE_FORMAT_UNKNOWN, "zip entry '" + shown(name)
                + "' is encrypted or compressed with method " + method + ", which staging does not read; "
                + "zip it again without a password, stored or deflated (every zip tool's default)");
    }

    static UnsafeArchiveException corrupt(String format, Exception cause) {
        return new UnsafeArchiveException(ReasonCodes.ARCHIVE_CORRUPT, "the " + format
                + " archive is truncated or corrupt: " + shown(String.valueOf(cause.getMessage()))
                + "; build it again and push again",
                cause);
    }

    /** A name as a message may show it: hostile names can be megabytes long. */
    static String shown(String name) {
        return name.length() <= SHOWN_NAME ? name : name.substring(0, SHOWN_NAME) + "... ("
                + name.length() + " characters)";
    }
}
