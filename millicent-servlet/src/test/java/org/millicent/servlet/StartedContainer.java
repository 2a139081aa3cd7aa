package org.millicent.servlet;

import java.util.function.IntSupplier;

/**
 * A container a filter IT started: the port its connector bound, and how to stop it. Immutable;
 * thread-safe as far as the container's own calls are.
 */
record StartedContainer(IntSupplier boundPort, Stop stopper) implements FilterContract.Container {
  /** How a container stops and releases what it holds. */
  @FunctionalInterface
  interface Stop {
    void stop() throws Exception;
  }

  @Override
  public int port() {
    return boundPort.getAsInt();
  }

  @Override
  public void stop() throws Exception {
    stopper.stop();
  }
}
