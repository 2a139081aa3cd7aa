package org.millicent.wallet;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Where a vendor was met: its origin, the exchange path its manifest named, and the brokers known
 * to sell its scrip.
 */
record VendorSite(
    String vendor, Optional<String> origin, Optional<String> exchangePath, List<URI> brokers) {}
