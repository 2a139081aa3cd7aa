package org.millicent.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.millicent.storage.StorageException;

/**
 * Only a storage failure is {@code 503 storage-unavailable}; any other unexpected exception, an
 * {@link IllegalStateException} included, is a bug: {@code 500 internal} (issue 14).
 */
class ProblemsClassifyTest {
  @Test
  void storageFailure_is503_withItsCodeOnly_notThePathOrDriverText() {
    Problems.Problem p =
        Problems.classify(
            new StorageException(
                StorageException.BUSY,
                "sqlite /tmp/secret-place/vendor.db: the database stayed locked; [SQLITE_BUSY]"
                    + " INSERT INTO spends VALUES (?)"));
    assertThat(p.code()).isEqualTo(ProblemCode.STORAGE_UNAVAILABLE);
    assertThat(p.code().status()).isEqualTo(503);
    assertThat(p.detail())
        .isEqualTo("storage failed (storage-busy)")
        .doesNotContain("/tmp")
        .doesNotContain("INSERT");
  }

  @Test
  void illegalStateException_isNoLongerAStorageFailure_butInternal() {
    Problems.Problem p = Problems.classify(new IllegalStateException("a bug: /tmp/x"));
    assertThat(p.code()).isEqualTo(ProblemCode.INTERNAL);
    assertThat(p.code().status()).isEqualTo(500);
    assertThat(p.detail()).doesNotContain("/tmp");
  }

  @Test
  void storageException_isNotAnIllegalStateException() {
    assertThat(new StorageException(StorageException.FAILED, "x"))
        .isNotInstanceOf(IllegalStateException.class);
  }
}
