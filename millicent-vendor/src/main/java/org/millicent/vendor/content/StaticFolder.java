package org.millicent.vendor.content;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Files under one folder; a folder's {@code index.html} stands for the folder. Paths are decoded,
 * normalised and must stay inside the folder. Thread-safe (no state beyond the root).
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

  /** The file for a raw request path, or null when it is outside the folder or missing. */
  private Path resolve(String rawPath) {
    String decoded;
    try {
      decoded = new URI(rawPath).getPath();
    } catch (URISyntaxException e) {
      return null;
    }
    if (decoded == null || decoded.indexOf('\0') >= 0 || !decoded.startsWith("/")) {
      return null;
    }
    Path p = root.resolve(decoded.substring(1)).normalize();
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
  public boolean mayExist(String rawPath) {
    return resolve(rawPath) != null;
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
