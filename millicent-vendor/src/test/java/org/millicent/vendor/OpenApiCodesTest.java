package org.millicent.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The problem codes docs/openapi/vendor.yaml lists are exactly those the gateway answers with
 * ({@link ProblemCode}), so a new code cannot go undescribed.
 */
class OpenApiCodesTest {
  @Test
  void theDescriptionListsExactlyTheGatewaysProblemCodes() throws Exception {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("docs/openapi/vendor.yaml"))) {
      p = p.getParent();
    }
    assertThat(p).as("docs/openapi/vendor.yaml above the working folder").isNotNull();
    JsonNode doc = new YAMLMapper().readTree(p.resolve("docs/openapi/vendor.yaml").toFile());
    Set<String> described = new TreeSet<>();
    doc.at("/components/schemas/ProblemCode/enum").forEach(c -> described.add(c.asText()));
    Set<String> answered = new TreeSet<>();
    Arrays.stream(ProblemCode.values()).forEach(c -> answered.add(c.code()));
    assertThat(described).isEqualTo(answered);
  }
}
