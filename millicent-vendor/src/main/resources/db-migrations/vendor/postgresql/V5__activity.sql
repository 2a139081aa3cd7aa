-- The vendor's activity per hour, for the operator's dashboard (docs/HTTP-API.md, "Dashboards"), so
-- its history survives restarts. The payment path only counts in memory; the counts are added here
-- every few seconds and at close, one upsert per (hour, kind, name).
--   epoch_hour  seconds since the epoch / 3600 (UTC hours)
--   kind        'payment' (name: the variant), 'replay' (name: ''), 'refusal' (name: the problem
--               code; 'payment-required' is an offer), 'resource' (name: the path paid for, at most
--               200 a hour from each process, the rest as '(other)'), 'free' (name: '')
--   count       how many
--   millicents  what they earned (payments and resources; 0 otherwise)
CREATE TABLE vendor_activity (
  epoch_hour BIGINT  NOT NULL,
  kind       TEXT    NOT NULL,
  name       TEXT    NOT NULL,
  count      BIGINT  NOT NULL,
  millicents BIGINT  NOT NULL,
  PRIMARY KEY (epoch_hour, kind, name)
);
