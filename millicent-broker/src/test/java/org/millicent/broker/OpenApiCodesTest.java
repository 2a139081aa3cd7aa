package org.millicent.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.millicent.failure.FailureCode;
import org.millicent.http.HttpRefusal;
import org.millicent.storage.StorageCode;

/**
 * The problem codes docs/openapi/broker.yaml lists are exactly those the broker answers with: its
 * own ({@link BrokerError}, but the per-ID codes of a settlement answer, which are never a status),
 * the payment failures, the HTTP layer's refusals and the storage codes.
 */
class OpenApiCodesTest {
  /** Codes of a settlement's {@code rejected[]}, inside a 200. */
  private static final Set<String> PER_ID = Set.of("not-issued", "already-settled");

  @Test
  void theDescriptionListsExactlyTheBrokersProblemCodes() throws Exception {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("docs/openapi/broker.yaml"))) {
      p = p.getParent();
    }
    assertThat(p).as("docs/openapi/broker.yaml above the working folder").isNotNull();
    JsonNode doc = new YAMLMapper().readTree(p.resolve("docs/openapi/broker.yaml").toFile());
    Set<String> described = new TreeSet<>();
    doc.at("/components/schemas/ProblemCode/enum").forEach(c -> described.add(c.asText()));
    Set<String> answered = new TreeSet<>();
    Arrays.stream(BrokerError.values()).forEach(c -> answered.add(c.code()));
    answered.removeAll(PER_ID);
    Arrays.stream(FailureCode.values()).forEach(c -> answered.add(c.code()));
    Arrays.stream(HttpRefusal.values()).forEach(c -> answered.add(c.code()));
    Arrays.stream(StorageCode.values()).forEach(c -> answered.add(c.code()));
    assertThat(described).isEqualTo(answered);
  }
}
