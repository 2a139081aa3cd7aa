package org.millicent.vendor.content;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Files under one folder; a folder's {@code index.html} stands for the folder. Paths arrive
 * canonical (decoded once, dot segments resolved: {@code RequestTarget}) and must stay inside the
 * folder. Thread-safe (no state beyond the root).
 */
final class StaticFolder implements ContentSource {
  private static final Map<String, String> TYPES =
      Map.ofEntries(
          Map.entry("html", "text/html; charset=utf-8"),
          Map.entry("htm", "text/html; charset=utf-8"),
          Map.entry("txt", "text/plain; charset=utf-8"),
          Map.entry("css", "text/css; charset=utf-8"),
          Map.entry("js", "text/javascript; charset=utf-8"),
          Map.entry("json", "application/json"),
          Map.entry("xml", "application/xml"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("png", "image/png"),
          Map.entry("jpg", "image/jpeg"),
          Map.entry("jpeg", "image/jpeg"),
          Map.entry("gif", "image/gif"),
          Map.entry("webp", "image/webp"),
          Map.entry("pdf", "application/pdf"),
          Map.entry("mp3", "audio/mpeg"),
          Map.entry("mp4", "video/mp4"));

  private final Path root;

  StaticFolder(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /**
   * The file for a canonical path (decoded once already: it is never decoded again here, so what is
   * served is what was priced), or null when it is outside the folder or missing.
   */
  private @Nullable Path resolve(String path) {
    if (path.indexOf('\0') >= 0 || !path.startsWith("/")) {
      return null;
    }
    Path p;
    try {
      p = root.resolve(path.substring(1)).normalize();
    } catch (InvalidPathException e) {
      return null;
    }
    if (!p.startsWith(root)) {
      return null;
    }
    if (Files.isDirectory(p)) {
      p = p.resolve("index.html");
    }
    return Files.isRegularFile(p) ? p : null;
  }

  @Override
  public boolean isLocal() {
    return true;
  }

  @Override
  public boolean mayExist(String path) {
    return resolve(path) != null;
  }

  @Override
  public ContentResponse fetch(ContentRequest request) {
    Path file = resolve(request.path());
    if (file == null) {
      return new ContentResponse(
          404,
          "text/plain; charset=utf-8",
          Map.of(),
          "not found\n".getBytes(StandardCharsets.UTF_8));
    }
    try {
      return ContentResponse.ok(typeOf(file), Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static String typeOf(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    return TYPES.getOrDefault(ext, "application/octet-stream");
  }

  @Override
  public void close() {}
}
