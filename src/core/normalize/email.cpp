#include "core/normalize/email.hpp"

#include <unicode/locid.h>
#include <unicode/unistr.h>

#include "core/error.hpp"
#include "core/normalize/ascii.hpp"
#include "core/normalize/domain.hpp"
#include "core/normalize/email_providers.hpp"
#include "core/no_postgres.hpp"

namespace dedupe {
namespace {

constexpr size_t kMaxLocalPart = 64;  // RFC 5321
constexpr size_t kMaxAddress = 254;   // RFC 5321 path limit minus the angle brackets

struct Address {
  std::string local;   // lower-cased, not yet provider-canonical
  std::string domain;  // ASCII (punycode), lower-case
};

[[noreturn]] void bad_email(std::string_view raw, const std::string& why) {
  throw Error(sqlstate::kInvalidTextRepresentation,
              "invalid email address \"" + ascii::clip(raw) + "\": " + why);
}

// RFC 5322 'atext' plus '.', and any non-ASCII byte (RFC 6531 internationalized mailboxes).
bool is_local_char(unsigned char c) {
  if (c >= 0x80) return true;
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '/':
    case '=':
    case '?':
    case '^':
    case '_':
    case '`':
    case '{':
    case '|':
    case '}':
    case '~':
    case '.':
      return true;
    default:
      return false;
  }
}

std::string lower_local(std::string_view local) {
  if (ascii::is_ascii(local)) return ascii::lower(local);
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(
      icu::StringPiece(local.data(), static_cast<int32_t>(local.size())));
  u.toLower(icu::Locale::getRoot());
  std::string out;
  u.toUTF8String(out);
  return out;
}

Address parse(std::string_view raw) {
  const std::string_view s = ascii::trim(raw);
  if (s.empty()) bad_email(raw, "empty");
  if (s.size() > kMaxAddress) bad_email(raw, "longer than 254 bytes");
  const size_t at = s.find('@');
  if (at == std::string_view::npos) bad_email(raw, "missing '@'");
  if (s.find('@', at + 1) != std::string_view::npos) bad_email(raw, "more than one '@'");
  const std::string_view local = s.substr(0, at), domain = s.substr(at + 1);
  if (local.empty()) bad_email(raw, "empty local part");
  if (local.size() > kMaxLocalPart) bad_email(raw, "local part longer than 64 bytes");
  if (domain.empty()) bad_email(raw, "empty domain");
  if (domain.back() == '.') bad_email(raw, "the domain ends with '.'");
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos)
    bad_email(raw, "misplaced '.' in the local part");
  for (unsigned char c : local)
    if (!is_local_char(c))
      bad_email(raw, c == '"' ? "quoted local parts are not accepted"
                              : "character not allowed in the local part");
  Address a;
  a.local = lower_local(local);
  try {
    a.domain = host_to_ascii(domain);
  } catch (const Error& e) {
    bad_email(raw, std::string("bad domain: ") + e.what());
  }
  if (a.domain.find('.') == std::string::npos) bad_email(raw, "the domain has no dot");
  return a;
}

}  // namespace

std::string normalize_email(std::string_view raw) {
  Address a = parse(raw);
  const email_providers::Rules rules = email_providers::rules_for(a.domain);
  if (rules.subaddress_separator) {
    const size_t tag = a.local.find(rules.subaddress_separator);
    if (tag != std::string::npos && tag > 0) a.local.resize(tag);
  }
  if (rules.ignores_dots) {
    std::string undotted;
    for (char c : a.local)
      if (c != '.') undotted += c;
    a.local = undotted;
  }
  if (a.local.empty()) bad_email(raw, "empty mailbox once provider aliases are removed");
  if (!rules.canonical_domain.empty()) a.domain = std::string(rules.canonical_domain);
  return a.local + "@" + a.domain;
}

bool is_valid_email(std::string_view raw) noexcept {
  try {
    normalize_email(raw);
    return true;
  } catch (...) {
    return false;
  }
}

std::string email_domain(std::string_view raw) {
  const std::string normalized = normalize_email(raw);
  return normalized.substr(normalized.find('@') + 1);
}

bool is_freemail(std::string_view raw) {
  return email_providers::is_freemail_domain(parse(raw).domain);
}

bool is_role_email(std::string_view raw) {
  Address a = parse(raw);
  const size_t tag = a.local.find('+');
  return email_providers::is_role_local_part(std::string_view(a.local).substr(0, tag));
}

}  // namespace dedupe
