/**
 * The Millicent core: scrip and its encoding, key vectors, customer secrets, the three protocol
 * variants and vendor-side validation. Depends on the JDK only.
 */
module org.millicent.core {
  requires static transitive org.jspecify;

  exports org.millicent.bytes;
  exports org.millicent.failure;
  exports org.millicent.keys;
  exports org.millicent.money;
  exports org.millicent.protocol;
  exports org.millicent.purchase;
  exports org.millicent.scrip;
}
