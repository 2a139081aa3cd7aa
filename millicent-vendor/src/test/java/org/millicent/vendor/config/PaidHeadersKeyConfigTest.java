package org.millicent.vendor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code content.paid_headers_key_file}: read relative to the file, checked, never printed. */
class PaidHeadersKeyConfigTest {
  private static final String KEY = "0123456789abcdef0123456789abcdef";

  @TempDir Path dir;

  private Path yaml(String content) throws IOException {
    Path f = dir.resolve("vendor.yaml");
    Files.writeString(
        f, "vendor: v\nprices: [{method: \"*\", path: \"/**\", price_millicents: 10}]\n" + content);
    return f;
  }

  @Test
  void keyFile_isResolvedAgainstTheConfigFolder_andReadStripped() throws IOException {
    Files.writeString(dir.resolve("paid.key"), "  " + KEY + "\r\n");
    VendorConfig c =
        VendorConfig.load(
            yaml(
                "content: {origin: \"http://127.0.0.1:9000\", paid_headers_key_file: paid.key}\n"));
    Content.Origin o = (Content.Origin) c.content();
    assertThat(o.paidHeadersKeyFile()).isEqualTo(dir.resolve("paid.key"));
    assertThat(PaidHeadersKey.read(o.paidHeadersKeyFile()))
        .isEqualTo(KEY.getBytes(StandardCharsets.US_ASCII));
    assertThat(c.toString()).doesNotContain(KEY);
  }

  @Test
  void badKeyFiles_areNamed_withoutTheirText() throws IOException {
    Files.writeString(dir.resolve("short.key"), KEY.substring(1));
    Files.writeString(dir.resolve("spaced.key"), KEY + " " + KEY);
    for (String file : new String[] {"short.key", "spaced.key", "absent.key"}) {
      assertThatThrownBy(
              () ->
                  VendorConfig.load(
                      yaml(
                          "content: {origin: \"http://127.0.0.1:9000\", paid_headers_key_file: "
                              + file
                              + "}\n")))
          .as(file)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("content.paid_headers_key_file: ")
          .hasMessageContaining(file)
          .hasMessageNotContaining(KEY.substring(1, 20));
    }
  }

  @Test
  void keyFile_withoutAnOrigin_isRefused() throws IOException {
    Files.writeString(dir.resolve("paid.key"), KEY);
    assertThatThrownBy(
            () ->
                VendorConfig.load(
                    yaml("content: {sample: true, paid_headers_key_file: paid.key}\n")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("content.paid_headers_key_file: applies only to content.origin");
  }
}
