/**
 * The {@code millicent} command: the demo, the servers, the wallet and scrip inspection; {@code
 * millicent bench} when org.millicent.bench is present. Exports nothing: it is a program.
 */
module org.millicent.cli {
  requires static org.jspecify;
  requires org.millicent.vendor;
  requires org.millicent.broker;
  requires org.millicent.wallet;
  requires org.millicent.wallet.proxy;
  requires info.picocli;
  requires com.fasterxml.jackson.databind;
  requires ch.qos.logback.classic;
  requires org.slf4j;

  uses java.util.concurrent.Callable;

  // picocli builds the commands and sets their options, parameters and mixins by reflection.
  opens org.millicent.cli to
      info.picocli;
  opens org.millicent.cli.broker to
      info.picocli;
  opens org.millicent.cli.demo to
      info.picocli;
  opens org.millicent.cli.scrip to
      info.picocli;
  opens org.millicent.cli.vendor to
      info.picocli;
  opens org.millicent.cli.wallet to
      info.picocli;
}
