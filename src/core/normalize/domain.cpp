#include "core/normalize/domain.hpp"

#include <unicode/uidna.h>

#include <memory>

#include "core/error.hpp"
#include "core/normalize/ascii.hpp"
#include "core/no_postgres.hpp"

namespace dedupe {
namespace {

constexpr size_t kMaxHostLength = 253;  // RFC 1035, without the root dot

// UTS #46 processing (nontransitional, as browsers do) with STD3 rules: letters, digits
// and hyphens only, so 'exa_mple.com' and 'a..b' fail instead of passing through.
const UIDNA& uts46() {
  thread_local std::unique_ptr<UIDNA, void (*)(UIDNA*)> idna = [] {
    UErrorCode status = U_ZERO_ERROR;
    UIDNA* p = uidna_openUTS46(UIDNA_USE_STD3_RULES | UIDNA_NONTRANSITIONAL_TO_ASCII |
                                   UIDNA_CHECK_BIDI | UIDNA_CHECK_CONTEXTJ,
                               &status);
    if (U_FAILURE(status))
      throw Error(sqlstate::kInternalError, "could not open ICU UTS #46", u_errorName(status));
    return std::unique_ptr<UIDNA, void (*)(UIDNA*)>(p, uidna_close);
  }();
  return *idna;
}

[[noreturn]] void bad_domain(std::string_view raw, const std::string& why) {
  throw Error(sqlstate::kInvalidTextRepresentation,
              "invalid domain \"" + ascii::clip(raw) + "\": " + why);
}

}  // namespace

std::string host_to_ascii(std::string_view host) {
  if (host.empty()) bad_domain(host, "empty host");
  if (host.size() > 4 * kMaxHostLength) bad_domain(host, "host name too long");
  std::string out(kMaxHostLength + 64, '\0');
  UErrorCode status = U_ZERO_ERROR;
  UIDNAInfo info = UIDNA_INFO_INITIALIZER;
  const int32_t length =
      uidna_nameToASCII_UTF8(&uts46(), host.data(), static_cast<int32_t>(host.size()), out.data(),
                             static_cast<int32_t>(out.size()), &info, &status);
  if (status == U_BUFFER_OVERFLOW_ERROR || length > static_cast<int32_t>(kMaxHostLength))
    bad_domain(host, "host name too long");
  if (U_FAILURE(status)) bad_domain(host, std::string("IDNA failure: ") + u_errorName(status));
  if (info.errors != 0) {
    if (info.errors & (UIDNA_ERROR_EMPTY_LABEL | UIDNA_ERROR_LEADING_HYPHEN |
                       UIDNA_ERROR_TRAILING_HYPHEN | UIDNA_ERROR_LABEL_TOO_LONG))
      bad_domain(host, "empty, over-long or hyphen-edged label");
    bad_domain(host, "characters not allowed in a host name");
  }
  out.resize(length);
  return out;
}

std::string normalize_domain(std::string_view raw) {
  std::string_view s = ascii::trim(raw);
  if (s.empty()) bad_domain(raw, "empty");
  // A URL: scheme, then authority up to the first '/', '?' or '#'.
  if (const size_t scheme = s.find("://"); scheme != std::string_view::npos) {
    s.remove_prefix(scheme + 3);
  } else if (s.substr(0, 2) == "//") {
    s.remove_prefix(2);
  }
  s = s.substr(0, s.find_first_of("/?#"));
  // An email address or URL user info: the host follows the last '@'.
  if (const size_t at = s.rfind('@'); at != std::string_view::npos) s.remove_prefix(at + 1);
  if (!s.empty() && s.front() == '[') bad_domain(raw, "IP literals are not domains");
  if (const size_t colon = s.rfind(':'); colon != std::string_view::npos) {
    const std::string_view port = s.substr(colon + 1);
    if (!ascii::all_digits(port)) bad_domain(raw, "bad port");
    s = s.substr(0, colon);
  }
  while (!s.empty() && s.back() == '.') s.remove_suffix(1);  // the DNS root
  if (s.empty()) bad_domain(raw, "no host");
  std::string host = host_to_ascii(s);
  while (host.rfind("www.", 0) == 0 && host.find('.', 4) != std::string::npos) host.erase(0, 4);
  if (host.find('.') == std::string::npos) bad_domain(raw, "no dot in host name");
  if (ascii::all_digits_and_dots(host)) bad_domain(raw, "IP addresses are not domains");
  return host;
}

}  // namespace dedupe
