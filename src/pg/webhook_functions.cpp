// SQL entry points of webhook intake: HMAC-SHA256 and the signature check. The freshness
// and replay rules are SQL (control/sql/92_webhooks.sql); the crypto is OpenSSL's.
#include "core/ops/webhook_signature.hpp"
#include "pg/datum_io.hpp"
#include "pg/datum_io.hpp"

// dedupe.hmac_sha256(data bytea, key bytea) -> bytea
DEDUPE_FUNCTION(dedupe_hmac_sha256) {
  const dedupe::ops::Sha256Digest mac =
      dedupe::ops::hmac_sha256(dedupe::pg::bytea_arg(fcinfo, 1), dedupe::pg::bytea_arg(fcinfo, 0));
  return dedupe::pg::bytea_datum(
      std::string_view(reinterpret_cast<const char*>(mac.data()), mac.size()));
}

// dedupe._webhook_signature_problem(payload bytea, signature text, secret bytea) -> text:
// NULL when the signature is the payload's HMAC under the secret, else why not. Never
// raises for a bad signature: refusing it is the caller's verdict, not an error.
DEDUPE_FUNCTION(dedupe_webhook_signature_problem) {
  switch (dedupe::ops::check_signature(dedupe::pg::bytea_arg(fcinfo, 0),
                                       dedupe::pg::text_arg(fcinfo, 1),
                                       dedupe::pg::bytea_arg(fcinfo, 2))) {
    case dedupe::ops::SignatureCheck::kValid:
      PG_RETURN_NULL();
    case dedupe::ops::SignatureCheck::kMalformed:
      return dedupe::pg::text_datum("malformed_signature");
    case dedupe::ops::SignatureCheck::kMismatch:
      break;
  }
  return dedupe::pg::text_datum("signature_mismatch");
}

// dedupe._webhook_signature_problem(payload, signature, secret, previous_secret) -> text:
// as above during a rotation; previous_secret NULL (none, or expired) checks the one secret.
DEDUPE_FUNCTION(dedupe_webhook_signature_problem_rotating) {
  if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2)) PG_RETURN_NULL();
  const std::string_view payload = dedupe::pg::bytea_arg(fcinfo, 0);
  const std::string_view signature = dedupe::pg::text_arg(fcinfo, 1);
  const std::string_view secret = dedupe::pg::bytea_arg(fcinfo, 2);
  const dedupe::ops::SignatureCheck check =
      PG_ARGISNULL(3) ? dedupe::ops::check_signature(payload, signature, secret)
                      : dedupe::ops::check_signature(payload, signature, secret,
                                                     dedupe::pg::bytea_arg(fcinfo, 3));
  switch (check) {
    case dedupe::ops::SignatureCheck::kValid:
      PG_RETURN_NULL();
    case dedupe::ops::SignatureCheck::kMalformed:
      return dedupe::pg::text_datum("malformed_signature");
    case dedupe::ops::SignatureCheck::kMismatch:
      break;
  }
  return dedupe::pg::text_datum("signature_mismatch");
}
