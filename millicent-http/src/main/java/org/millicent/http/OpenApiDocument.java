package org.millicent.http;

import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A server's OpenAPI description (docs/openapi/), which the build copies into its jar, answered to
 * anyone at {@code GET /.well-known/openapi.yaml}: free, no token, cacheable (docs/HTTP-API.md,
 * "For machines"). Also lists what a server routes, for the test that keeps the description and the
 * routes alike.
 */
public final class OpenApiDocument {
  /** Where each server answers its description. */
  public static final String PATH = "/.well-known/openapi.yaml";

  /** The media type of YAML (RFC 9512). */
  public static final String TYPE = "application/yaml";

  private OpenApiDocument() {}

  /**
   * Adds GET and HEAD {@link #PATH} through {@code fixed}, answering the resource {@code
   * META-INF/<name>} of {@code owner}'s jar; a jar without it is a build error, so it fails here.
   * (Under META-INF, which is no package name, a named module does not hide it from this one.)
   */
  public static void addRoute(
      RouteMethods fixed, RoutesConfig routes, Class<?> owner, String name) {
    byte[] document;
    String resource = "/META-INF/" + name;
    try (InputStream in = owner.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "the jar of " + owner.getName() + " lacks " + resource + " (the build copies it)");
      }
      document = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    fixed.get(
        routes,
        PATH,
        ctx ->
            ctx.header("Cache-Control", "public, max-age=300").contentType(TYPE).result(document));
  }

  /**
   * Every HTTP route {@code app} answers, as {@code "METHOD /path"} in Javalin's path syntax
   * ({@code {name}} one segment, {@code *} anything), in the order added.
   */
  public static List<String> routes(Javalin app) {
    return app.unsafe.internalRouter.allHttpHandlers().stream()
        .filter(e -> e.endpoint.method.isHttpMethod())
        .map(e -> e.endpoint.method.name() + " " + e.endpoint.path)
        .distinct()
        .toList();
  }
}
