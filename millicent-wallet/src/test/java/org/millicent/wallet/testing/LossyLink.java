package org.millicent.wallet.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The network between the wallet and a server (a vendor or a broker) in the wallet's tests: a TCP
 * relay on a loopback port that passes every byte both ways as it is, so the server reads the
 * wallet's own requests (its {@code Host} header included) and the wallet the server's own answers.
 * Two faults can be injected: the answers to a number of paid requests (those with an {@code
 * Authorization} header) are lost once the server has begun to send them, that is after it has done
 * the work (the connection closes without a byte of the answer), as when an answer is lost on the
 * way or the client times out; and one request can be held on the way ({@link #holdRequestAfter}),
 * as a slow network holds it.
 *
 * <p>To see which requests are paid, the relay reads the requests of a connection one after the
 * other as HTTP/1.1 frames them for a body the sender knows the length of ({@code Content-Length};
 * the wallet sends no other), and the answers are the vendor's bytes in order: a client sends the
 * next request on a connection only after the whole answer to the last. Thread-safe.
 */
public final class LossyLink implements AutoCloseable {
  private static final int MAX_HEAD_BYTES = 64 * 1024;

  private final ServerSocket listener;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger loseAnswers = new AtomicInteger();
  private final AtomicBoolean accepting = new AtomicBoolean();
  private final AtomicReference<@Nullable Hold> hold = new AtomicReference<>();
  private volatile @Nullable InetSocketAddress target;

  /**
   * A request to hold: the first whose request line starts with {@code held} after one whose
   * request line starts with {@code after} has passed ({@code armed}); announced to {@code reached}
   * and passed on once {@code release} is.
   */
  private record Hold(
      String after,
      String held,
      CountDownLatch reached,
      CountDownLatch release,
      AtomicBoolean armed) {}

  /** A link listening on a free loopback port, relaying nothing until {@link #connect}. */
  LossyLink() throws IOException {
    listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
  }

  /** Where the wallet reaches the vendor through this link, {@code http://127.0.0.1:port}. */
  public URI url() {
    return URI.create(
        "http://" + listener.getInetAddress().getHostAddress() + ":" + listener.getLocalPort());
  }

  /**
   * Relays every connection made to {@link #url()} from now on to the server at {@code server} (a
   * restarted server listens elsewhere: connect the link to it again).
   */
  void connect(URI server) {
    target = new InetSocketAddress(server.getHost(), server.getPort());
    if (accepting.compareAndSet(false, true)) {
      threads.execute(this::accept);
    }
  }

  /** Loses the answers to the next {@code n} paid requests, after the server has answered them. */
  public void loseNextAnswers(int n) {
    loseAnswers.set(n);
  }

  /**
   * Holds the first request whose request line (say {@code "GET /.well-known/millicent"}) starts
   * with {@code held} that comes after one starting with {@code after} has passed: counts {@code
   * reached} down when it arrives and passes it on to the server only once {@code release} is.
   */
  public void holdRequestAfter(
      String after, String held, CountDownLatch reached, CountDownLatch release) {
    hold.set(new Hold(after, held, reached, release, new AtomicBoolean()));
  }

  /** Holds {@code requestLine} here if it is the request to hold. */
  private void holdIfAsked(String requestLine) throws IOException {
    Hold h = hold.get();
    if (h == null) {
      return;
    }
    if (h.armed().get() && requestLine.startsWith(h.held()) && hold.compareAndSet(h, null)) {
      h.reached().countDown();
      try {
        h.release().await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while holding " + requestLine, e);
      }
    } else if (requestLine.startsWith(h.after())) {
      h.armed().set(true);
    }
  }

  private void accept() {
    while (!listener.isClosed()) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      threads.execute(() -> relay(client));
    }
  }

  private void relay(Socket client) {
    InetSocketAddress to = target;
    Socket server = new Socket();
    open.add(client);
    open.add(server);
    try {
      if (to == null) {
        throw new IOException("the link is not connected");
      }
      server.connect(to);
      AtomicBoolean losing = new AtomicBoolean();
      threads.execute(() -> requests(client, server, losing));
      answers(server, client, losing);
    } catch (IOException e) {
      // a side closed the connection: so does the link
    } finally {
      closeQuietly(client);
      closeQuietly(server);
      open.remove(client);
      open.remove(server);
    }
  }

  /**
   * Passes the client's requests to the server, one at a time; marks the connection {@code losing}
   * before it passes a paid request whose answer is to be lost.
   */
  private void requests(Socket client, Socket server, AtomicBoolean losing) {
    try {
      InputStream in = new BufferedInputStream(client.getInputStream());
      OutputStream out = server.getOutputStream();
      byte[] head;
      while ((head = head(in)) != null) {
        Framing f = framing(head);
        holdIfAsked(f.requestLine());
        if (f.paid() && loseAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          losing.set(true);
        }
        out.write(head);
        long left = f.contentLength();
        byte[] buf = new byte[8192];
        while (left > 0) {
          int n = in.read(buf, 0, (int) Math.min(buf.length, left));
          if (n < 0) {
            throw new IOException("the client closed the connection within a request body");
          }
          out.write(buf, 0, n);
          left -= n;
        }
        out.flush();
      }
      server.shutdownOutput();
    } catch (IOException e) {
      closeQuietly(client);
      closeQuietly(server);
    }
  }

  /** Passes the server's answers to the client, unless the answer is to be lost. */
  private static void answers(Socket server, Socket client, AtomicBoolean losing)
      throws IOException {
    InputStream in = server.getInputStream();
    OutputStream out = client.getOutputStream();
    byte[] buf = new byte[8192];
    int n;
    while ((n = in.read(buf)) >= 0) {
      if (losing.get()) {
        return; // the server has done the work and answers: the answer is lost
      }
      out.write(buf, 0, n);
      out.flush();
    }
  }

  /** A request's head up to and including its empty line; null at the end of the stream. */
  private static byte @Nullable [] head(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0; // of "\r\n\r\n"
    int b;
    while ((b = in.read()) >= 0) {
      head.write(b);
      matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : (b == '\r' ? 1 : 0);
      if (matched == 4) {
        return head.toByteArray();
      }
      if (head.size() > MAX_HEAD_BYTES) {
        throw new IOException("a request head over " + MAX_HEAD_BYTES + " bytes");
      }
    }
    if (head.size() > 0) {
      throw new IOException("the client closed the connection within a request head");
    }
    return null;
  }

  /** A request's first line, how it is framed, and whether it is paid. */
  private record Framing(String requestLine, long contentLength, boolean paid) {}

  private static Framing framing(byte[] head) throws IOException {
    long length = 0;
    boolean paid = false;
    String[] lines = new String(head, StandardCharsets.ISO_8859_1).split("\r\n", -1);
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = lines[i].substring(colon + 1).trim();
      switch (name) {
        case "content-length" -> length = Long.parseLong(value);
        case "authorization" -> paid = true;
        case "transfer-encoding" ->
            throw new IOException("the link relays no request with Transfer-Encoding: " + value);
        default -> {}
      }
    }
    return new Framing(lines[0], length, paid);
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing: nothing left to do
    }
  }

  @Override
  public void close() {
    try {
      listener.close();
    } catch (IOException e) {
      // closing: nothing left to do
    }
    open.forEach(LossyLink::closeQuietly);
    threads.close();
  }
}
