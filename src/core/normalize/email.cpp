#include "core/normalize/email.hpp"

#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <array>
#include <cstdio>

#include "core/error.hpp"
#include "core/normalize/ascii.hpp"
#include "core/normalize/domain.hpp"
#include "core/normalize/email_providers.hpp"
#include "core/no_postgres.hpp"

namespace dedupe {
namespace {

constexpr size_t kMaxLocalPart = 64;  // RFC 5321 4.5.3.1.1, quotes and escapes included
constexpr size_t kMaxAddress = 254;   // RFC 5321 path limit minus the angle brackets

using email_providers::Dots;
using email_providers::Rules;

struct Address {
  std::string local;   // the mailbox name: quotes and escapes removed, lower-cased
  std::string domain;  // ASCII (punycode), lower-case
  const Rules* rules;  // the provider's rules, null for a domain not in the table
};

[[noreturn]] void bad_email(std::string_view raw, const std::string& why) {
  throw Error(sqlstate::kInvalidTextRepresentation,
              "invalid email address \"" + ascii::clip(raw) + "\": " + why);
}

// RFC 5322 'atext': what an unquoted local part is made of, between dots.
constexpr std::array<bool, 128> kAtext = [] {
  std::array<bool, 128> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[c] = t[c - 32] = true;
  for (int c = '0'; c <= '9'; ++c) t[c] = true;
  for (char c : std::string_view("!#$%&'*+-/=?^_`{|}~")) t[static_cast<unsigned char>(c)] = true;
  return t;
}();

bool is_atext(unsigned char c) { return c < 128 && kAtext[c]; }

std::string code_point_name(UChar32 c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(c));
  return buf;
}

// Copies the non-ASCII character at s[i] to out and returns the index after it. RFC 6531
// allows any UTF-8 in a local part, but a space, control, invisible format character or
// unassigned code point there is a paste accident, not a mailbox. Full-width forms of ASCII
// (U+FF01..U+FF5E, typed with East Asian input methods) become their ASCII letters, as UTS #46
// does in the domain.
size_t take_non_ascii(std::string_view raw, std::string_view s, size_t i, std::string& out) {
  const size_t start = i;
  int32_t next = static_cast<int32_t>(i);
  UChar32 c;
  U8_NEXT(s.data(), next, static_cast<int32_t>(s.size()), c);
  if (c < 0) bad_email(raw, "not valid UTF-8");
  if (c >= 0xFF01 && c <= 0xFF5E) {
    out += static_cast<char>(c - 0xFEE0);
    return static_cast<size_t>(next);
  }
  switch (u_charType(c)) {
    case U_SPACE_SEPARATOR:
    case U_LINE_SEPARATOR:
    case U_PARAGRAPH_SEPARATOR:
      bad_email(raw, "a Unicode space (" + code_point_name(c) + ") in the local part");
    case U_CONTROL_CHAR:
      bad_email(raw, "a control character (" + code_point_name(c) + ") in the local part");
    case U_FORMAT_CHAR:
      // Zero-width (non-)joiners spell words in Indic and Arabic scripts.
      if (c != 0x200C && c != 0x200D)
        bad_email(raw, "an invisible character (" + code_point_name(c) + ") in the local part");
      break;
    case U_UNASSIGNED:
      bad_email(raw, "an unassigned character (" + code_point_name(c) + ") in the local part");
    default:
      break;
  }
  out.append(s.substr(start, static_cast<size_t>(next) - start));
  return static_cast<size_t>(next);
}

// RFC 5321 Quoted-string (with RFC 6531's UTF-8) starting at s[0] == '"': its content is
// appended to out; returns the index after the closing quote.
size_t take_quoted(std::string_view raw, std::string_view s, std::string& out) {
  for (size_t i = 1; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '"') return i + 1;
    if (c >= 0x80) {
      i = take_non_ascii(raw, s, i, out);
    } else if (c == '\\') {
      if (i + 1 == s.size()) break;
      const unsigned char e = static_cast<unsigned char>(s[i + 1]);
      if (e < 0x20 || e > 0x7E) bad_email(raw, "'\\' escapes a character that cannot be quoted");
      out += static_cast<char>(e);
      i += 2;
    } else if (c < 0x20 || c == 0x7F) {
      bad_email(raw, "a control character in the quoted local part");
    } else {
      out += static_cast<char>(c);
      ++i;
    }
  }
  bad_email(raw, "the quoted local part is not closed");
}

void lower_local(std::string& local) {
  if (ascii::is_ascii(local)) {
    for (char& c : local) c = ascii::lower(c);
    return;
  }
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(
      icu::StringPiece(local.data(), static_cast<int32_t>(local.size())));
  u.toLower(icu::Locale::getRoot());
  local.clear();
  u.toUTF8String(local);
}

// A local part that needs no quotes (RFC 5322 dot-atom; RFC 6531 adds UTF-8).
bool is_dot_atom(std::string_view s) {
  if (s.empty() || s.front() == '.' || s.back() == '.') return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '.' ? s[i + 1] == '.' : !(c >= 0x80 || is_atext(c))) return false;
  }
  return true;
}

// RFC 5321 4.1.2: a local part is sent unquoted when it can be, quoted (escaping only '"' and
// '\') when it must be, so every spelling of one mailbox name comes out the same.
void append_local(const std::string& local, std::string& out) {
  if (is_dot_atom(local)) {
    out += local;
    return;
  }
  out += '"';
  for (char c : local) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
}

Address parse(std::string_view raw) {
  const std::string_view s = ascii::trim(raw);
  if (s.empty()) bad_email(raw, "empty");
  if (s.size() > kMaxAddress) bad_email(raw, "longer than 254 bytes");
  Address a;
  size_t at;
  bool quoted = s.front() == '"';
  if (quoted) {
    at = take_quoted(raw, s, a.local);
    if (at == s.size()) bad_email(raw, "missing '@'");
    if (s[at] != '@') bad_email(raw, "text after the quoted local part");
  } else {
    at = s.find('@');
    if (at == std::string_view::npos) bad_email(raw, "missing '@'");
    if (ascii::is_ascii(s.substr(0, at))) {
      a.local.assign(s.substr(0, at));
    } else {
      for (size_t i = 0; i < at;) {
        if (static_cast<unsigned char>(s[i]) >= 0x80)
          i = take_non_ascii(raw, s, i, a.local);
        else
          a.local += s[i++];
      }
    }
    for (unsigned char c : a.local) {
      if (c == '.' || c >= 0x80 || is_atext(c)) continue;
      if (c == '"') bad_email(raw, "quotes must enclose the whole local part");
      if (c == ' ' || c == '\\' || c == '(' || c == ')' || c == ',' || c == ':' || c == ';' ||
          c == '<' || c == '>' || c == '[' || c == ']' || c == '@')
        bad_email(raw, std::string("'") + static_cast<char>(c) +
                           "' in the local part is allowed only inside quotes");
      bad_email(raw, "character not allowed in the local part");
    }
    if (a.local.empty()) bad_email(raw, "empty local part");
  }
  if (at > kMaxLocalPart) bad_email(raw, "local part longer than 64 bytes");
  const std::string_view domain = s.substr(at + 1);
  if (domain.empty()) bad_email(raw, "empty domain");
  if (domain.find('@') != std::string_view::npos) bad_email(raw, "more than one '@'");
  if (domain.front() == '[') bad_email(raw, "address literals ([192.0.2.1]) are not accepted");
  if (domain.back() == '.') bad_email(raw, "the domain ends with '.'");
  try {
    a.domain = host_to_ascii(domain);
  } catch (const Error& e) {
    bad_email(raw, std::string("bad domain: ") + e.what());
  }
  const size_t tld = a.domain.rfind('.');
  if (tld == std::string::npos) bad_email(raw, "the domain has no dot");
  // No top-level domain has one letter, and an all-digit one is an IP address.
  if (a.domain.size() - tld - 1 < 2) bad_email(raw, "one-letter top-level domain");
  if (ascii::all_digits(std::string_view(a.domain).substr(tld + 1)))
    bad_email(raw, "numeric top-level domain");
  a.rules = email_providers::table().find(a.domain);
  if (!quoted) {
    // Providers that ignore dots cannot tell 'j..doe' from 'jdoe', so only their runs of
    // dots are accepted; elsewhere RFC 5322's dot-atom holds.
    const std::string_view l = a.local;
    const bool dots_ignored = a.rules && a.rules->dots == Dots::kIgnored;
    if (l.front() == '.' || l.back() == '.' ||
        (!dots_ignored && l.find("..") != std::string_view::npos))
      bad_email(raw, "misplaced '.' in the local part");
  }
  lower_local(a.local);
  return a;
}

}  // namespace

std::string normalize_email(std::string_view raw) {
  Address a = parse(raw);
  if (const Rules* rules = a.rules) {
    if (rules->subaddress_separator) {
      const size_t tag = a.local.find(rules->subaddress_separator);
      if (tag != std::string::npos && tag > 0) a.local.resize(tag);
    }
    if (rules->dots == Dots::kIgnored) {
      std::string undotted;
      for (char c : a.local)
        if (c != '.') undotted += c;
      if (undotted.empty()) bad_email(raw, "empty mailbox once provider aliases are removed");
      a.local = std::move(undotted);
    } else if (rules->dots == Dots::kHyphen) {
      for (char& c : a.local)
        if (c == '.') c = '-';
    }
    if (!rules->canonical_domain.empty()) a.domain = rules->canonical_domain;
  }
  std::string out;
  out.reserve(a.local.size() + a.domain.size() + 3);
  append_local(a.local, out);
  if (out.size() > kMaxLocalPart)
    bad_email(raw, "local part longer than 64 bytes once lower-cased");
  out += '@';
  out += a.domain;
  if (out.size() > kMaxAddress) bad_email(raw, "longer than 254 bytes once normalized");
  return out;
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
  return normalized.substr(normalized.rfind('@') + 1);
}

bool is_freemail(std::string_view raw) { return parse(raw).rules != nullptr; }

bool is_role_email(std::string_view raw) {
  Address a = parse(raw);
  const size_t tag = a.local.find('+');
  return email_providers::is_role_local_part(std::string_view(a.local).substr(0, tag));
}

}  // namespace dedupe
