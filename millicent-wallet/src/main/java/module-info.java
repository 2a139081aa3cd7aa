/**
 * The customer's wallet: scrip held, payments recorded before sending, budgets, vouched origins,
 * renewals, and the HTTP client that pays 402s.
 */
module org.millicent.wallet {
  requires static transitive org.jspecify;
  requires transitive org.millicent.core;
  requires transitive java.net.http;
  requires org.millicent.storage;
  requires transitive com.fasterxml.jackson.databind; // Wallet hands out JsonNode documents
  requires org.slf4j;

  exports org.millicent.wallet;
  exports org.millicent.wallet.http;
}
