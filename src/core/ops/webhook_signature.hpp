// Signatures of incoming webhooks: HMAC-SHA256 of the raw payload under the source's
// secret, sent as 64 hex digits or as base64 (standard or URL-safe alphabet, padding
// optional), optionally prefixed "sha256=" as GitHub and others do.
#pragma once

#include <string_view>

#include "core/ops/hmac.hpp"

namespace dedupe::ops {

// The 32 digest bytes a signature header carries. Surrounding ASCII whitespace and the
// prefix (any case) are ignored. Throws Error 22P02 naming what is wrong.
Sha256Digest parse_signature(std::string_view text);

enum class SignatureCheck { kValid, kMalformed, kMismatch };

// Parses the signature and compares it with HMAC-SHA256(secret, payload) in constant time.
SignatureCheck check_signature(std::string_view payload, std::string_view signature,
                               std::string_view secret);

// The same during a secret rotation: valid when the signature matches either secret. Both
// HMACs are computed and compared whatever the first comparison says, so the time taken
// does not tell a prober which secret (if any) was close.
SignatureCheck check_signature(std::string_view payload, std::string_view signature,
                               std::string_view secret, std::string_view previous_secret);

}  // namespace dedupe::ops
