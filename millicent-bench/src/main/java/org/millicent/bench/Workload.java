package org.millicent.bench;

/**
 * One operation whose speed {@code millicent bench} and the JMH benchmarks (millicent-benchmarks)
 * both measure, so that the two report the same code path. Inputs that one operation consumes
 * (fresh scrip, since scrip can be spent once) are made ahead in batches by {@link #prepare},
 * outside the timed section. Not thread-safe: one measuring thread owns an instance.
 */
public interface Workload {
  /** The case name as printed, e.g. {@code signed_purchase}. */
  String name();

  /**
   * Makes the inputs of the next {@code n} operations, replacing earlier ones. Not part of what is
   * measured.
   */
  default void prepare(int n) {}

  /**
   * Performs operation {@code i} of the prepared batch ({@code 0 <= i < n}); workloads that consume
   * no inputs ignore {@code i}.
   *
   * @return a value derived from the result, for the caller to consume so that no work can be
   *     optimised away
   */
  long run(int i);
}
