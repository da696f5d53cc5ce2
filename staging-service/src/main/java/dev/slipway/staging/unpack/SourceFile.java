package dev.slipway.staging.unpack;

import java.nio.file.Path;

/**
 * One file or folder of an unpacked app, as the image builder should lay it down.
 *
 * @param path       unix path relative to the app's root (after a single top-level folder is lifted),
 *                   without a leading slash, e.g. {@code css/site.css}
 * @param content    what to read: the file itself, or for a symlink the real file it resolves to
 *                   (checked to be a regular file inside the app), so the image gets the target's bytes
 *                   at the link's path; for a folder, the folder
 * @param directory  a folder (its files are listed on their own)
 * @param executable the file (a link's target, for a link) has an execute bit; always false for folders
 */
public record SourceFile(String path, Path content, boolean directory, boolean executable) {
}
