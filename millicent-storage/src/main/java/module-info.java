/**
 * The database toolkit: SQLite or PostgreSQL through a pool and Jdbi, each service's Flyway chain,
 * error translation, locks and the group commit.
 */
// Jdbi (in the API: Handle, HandleCallback) names its automatic module in its manifest; Flyway
// ships none, so its name comes from the file name (flyway.core) and may change when it ships one.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module org.millicent.storage {
  requires static transitive org.jspecify;
  requires transitive org.millicent.core;
  requires transitive java.sql;
  requires transitive org.jdbi.v3.core;
  requires static com.google.errorprone.annotations;
  requires com.zaxxer.hikari;
  requires flyway.core;
  // Jdbi's automatic module cannot say it needs geantyref: required here so that a module path
  // resolves it.
  requires io.leangen.geantyref;
  requires org.slf4j;
  requires org.xerial.sqlitejdbc;

  exports org.millicent.storage;
}
