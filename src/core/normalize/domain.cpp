#include "core/normalize/domain.hpp"

#include <unicode/uchar.h>
#include <unicode/uidna.h>
#include <unicode/utf8.h>

#include <cstdio>

#include <array>
#include <functional>
#include <memory>

#include "core/error.hpp"
#include "core/normalize/ascii.hpp"
#include "core/no_postgres.hpp"

namespace dedupe {
namespace {

constexpr size_t kMaxHostLength = 253;  // RFC 1035, without the root dot

// UTS #46 processing (nontransitional, as browsers do) with STD3 rules: letters, digits
// and hyphens only, so 'exa_mple.com' and 'a..b' fail instead of passing through. Its
// mapping makes full-width and other compatibility forms ASCII ('ｅｘａｍｐｌｅ' -> 'example').
const UIDNA& uts46() {
  thread_local std::unique_ptr<UIDNA, void (*)(UIDNA*)> idna = [] {
    UErrorCode status = U_ZERO_ERROR;
    UIDNA* p = uidna_openUTS46(UIDNA_USE_STD3_RULES | UIDNA_NONTRANSITIONAL_TO_ASCII |
                                   UIDNA_NONTRANSITIONAL_TO_UNICODE | UIDNA_CHECK_BIDI |
                                   UIDNA_CHECK_CONTEXTJ | UIDNA_CHECK_CONTEXTO,
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

// RFC 5892's derivation of IDNA2008's valid code points, for a label already mapped by
// UTS #46 (so no upper case or compatibility forms are left): letters, marks and digits, less
// its exceptions. UTS #46 itself still passes symbols IDNA2008 disallows (its 'NV8' code
// points: (c), snowmen, emoji), which registries refuse.
bool idna2008_valid(UChar32 c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  switch (c) {
    case 0x00B7:  // middle dot, Greek keraia, Hebrew geresh and gershayim, katakana middle
    case 0x0375:  // dot: CONTEXTO, their context checked by ICU
    case 0x05F3:
    case 0x05F4:
    case 0x30FB:
    case 0x200C:  // CONTEXTJ
    case 0x200D:
      return true;
    case 0x0640:  // exceptions RFC 5892 2.6 disallows: Arabic tatweel, NKo lajanyalan,
    case 0x07FA:  // Hangul tone marks, vertical kana repeat marks, masu mark
    case 0x302E:
    case 0x302F:
    case 0x3031:
    case 0x3032:
    case 0x3033:
    case 0x3034:
    case 0x3035:
    case 0x303B:
      return false;
    default:
      break;
  }
  // Ignorable blocks (combining marks for symbols, musical notation) and old Hangul jamo.
  if ((c >= 0x20D0 && c <= 0x20FF) || (c >= 0x1D100 && c <= 0x1D24F) ||
      (c >= 0x1100 && c <= 0x11FF) || (c >= 0xA960 && c <= 0xA97F) || (c >= 0xD7B0 && c <= 0xD7FF))
    return false;
  switch (u_charType(c)) {
    case U_LOWERCASE_LETTER:
    case U_OTHER_LETTER:
    case U_MODIFIER_LETTER:
    case U_NON_SPACING_MARK:
    case U_COMBINING_SPACING_MARK:
    case U_DECIMAL_DIGIT_NUMBER:
      return true;
    default:
      return false;
  }
}

// The Unicode form of the IDN labels of an ASCII host, checked against IDNA2008.
void check_idna2008(std::string_view raw, const std::string& ascii_host) {
  if (ascii_host.find("xn--") == std::string::npos) return;
  std::string out(4 * ascii_host.size() + 16, '\0');
  UErrorCode status = U_ZERO_ERROR;
  UIDNAInfo info = UIDNA_INFO_INITIALIZER;
  const int32_t length =
      uidna_nameToUnicodeUTF8(&uts46(), ascii_host.data(), static_cast<int32_t>(ascii_host.size()),
                              out.data(), static_cast<int32_t>(out.size()), &info, &status);
  if (U_FAILURE(status) || info.errors != 0 || length > static_cast<int32_t>(out.size()))
    bad_domain(raw, "characters not allowed in a host name");
  for (int32_t i = 0; i < length;) {
    UChar32 c;
    U8_NEXT(out.data(), i, length, c);
    if (c == '.') continue;
    if (c < 0 || !idna2008_valid(c)) {
      char name[16];
      std::snprintf(name, sizeof name, "U+%04X", static_cast<unsigned>(c < 0 ? 0xFFFD : c));
      bad_domain(raw, std::string(name) + " is not allowed in a host name (IDNA2008)");
    }
  }
}

// Most hosts are plain LDH names ('Acme.COM'), which UTS #46 only lower-cases: answer those
// without ICU. Anything else (non-ASCII, an 'xn--' or other '??--' label, an empty, long or
// hyphen-edged label, a root dot) takes ICU's path, so both paths agree.
bool plain_ldh_lower(std::string_view host, std::string& out) {
  if (host.size() > kMaxHostLength) return false;
  out.resize(host.size());
  size_t label = 0;  // length of the current label
  for (size_t i = 0; i <= host.size(); ++i) {
    const char c = i < host.size() ? host[i] : '.';
    if (c == '.') {
      if (label == 0 || label > 63 || host[i - 1] == '-') return false;
      if (label >= 4 && host[i - label + 2] == '-' && host[i - label + 3] == '-') return false;
      if (i < host.size()) out[i] = '.';
      label = 0;
      continue;
    }
    if (c >= 'A' && c <= 'Z') {
      out[i] = static_cast<char>(c + 32);
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && label > 0)) {
      out[i] = c;
    } else {
      return false;
    }
    ++label;
  }
  return true;
}

}  // namespace

std::string host_to_ascii(std::string_view host) {
  if (host.empty()) bad_domain(host, "empty host");
  if (host.size() > 4 * kMaxHostLength) bad_domain(host, "host name too long");
  if (std::string plain; plain_ldh_lower(host, plain)) return plain;
  // IDN hosts cost two ICU passes; a column of addresses holds few distinct domains, so the
  // answers for recent ones are kept (per thread, one slot per hash; errors are not kept).
  struct Cached {
    std::string host, ascii;
  };
  thread_local std::array<Cached, 256> cache;
  Cached& slot = cache[std::hash<std::string_view>{}(host) % cache.size()];
  if (!slot.ascii.empty() && slot.host == host) return slot.ascii;
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
  check_idna2008(host, out);
  slot.host.assign(host);
  slot.ascii = out;
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
