#include "core/normalize/record.hpp"

#include <algorithm>
#include <cctype>

#include "core/error.hpp"
#include "core/normalize/company.hpp"
#include "core/normalize/domain.hpp"
#include "core/normalize/email.hpp"
#include "core/normalize/name.hpp"
#include "core/normalize/nicknames.hpp"
#include "core/normalize/phone.hpp"
#include "core/match/record_set.hpp"
#include "core/no_postgres.hpp"
#include "core/similarity/double_metaphone.hpp"

namespace dedupe {
namespace {

std::optional<std::string> present(const std::optional<std::string>& v) {
  if (!v) return std::nullopt;
  for (char c : *v)
    if (!std::isspace(static_cast<unsigned char>(c))) return v;
  return std::nullopt;
}

std::optional<std::string> non_empty(std::string s) {
  if (s.empty()) return std::nullopt;
  return s;
}

void invalidate(NormalizedRecord& out, const std::string& why) {
  if (!out.reason.empty()) out.reason += "; ";
  out.reason += why;
  out.valid = false;
}

// Names and companies longer than this are junk (a form's text area pasted into a name
// field), and dedupe.records indexes the full name in a btree, whose entries must stay under
// a third of a page: such a value invalidates the row (so on_invalid decides, naming the row)
// and is dropped, rather than failing the whole statement at flush time.
constexpr size_t kMaxNameBytes = 500;

constexpr char kUnitSeparator = '\x1f';

void drop_if_too_long(NormalizedRecord& out, std::optional<std::string>& field, const char* what) {
  if (!field || field->size() <= kMaxNameBytes) return;
  field.reset();
  invalidate(out, std::string(what) + " longer than " + std::to_string(kMaxNameBytes) + " bytes");
}

// A row's country is its phone region when it looks like an ISO 3166-1 alpha-2 code.
std::string phone_region(const NormalizedRecord& rec, const std::string& fallback) {
  if (rec.country && rec.country->size() == 2 && std::isalpha((unsigned char)(*rec.country)[0]) &&
      std::isalpha((unsigned char)(*rec.country)[1]))
    return *rec.country;
  return fallback;
}

}  // namespace

const std::vector<std::string>& more_role_names() {
  static const std::vector<std::string> names = {"date_of_birth", "house_number", "street",
                                                 "locality",      "city",         "postcode",
                                                 "state",         "identifier"};
  return names;
}

std::string encode_more_roles(const MoreRoles& roles) {
  std::string out;
  for (const auto& [role, value] : roles) {
    if (!out.empty()) out += kUnitSeparator;
    out += role + "=" + value;
  }
  return out;
}

MoreRoles decode_more_roles(const std::string& text) {
  MoreRoles out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(kUnitSeparator, start);
    if (end == std::string::npos) end = text.size();
    const std::string item = text.substr(start, end - start);
    const size_t eq = item.find('=');
    if (eq != std::string::npos) out.emplace_back(item.substr(0, eq), item.substr(eq + 1));
    start = end + 1;
  }
  return out;
}

NormalizedRecord normalize_record(const RawRecord& raw) {
  NormalizedRecord out;
  if (auto country = present(raw.country)) {
    std::string c;
    for (char ch : *country)
      if (!std::isspace(static_cast<unsigned char>(ch)))
        c += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    out.country = c;
  }
  if (auto id = present(raw.external_id)) {
    out.external_id = raw.source + ":" + *id;
    if (out.external_id->size() > 1024) {
      out.external_id.reset();
      invalidate(out, "external id longer than 1024 bytes");
    }
  }
  if (auto email = present(raw.email)) {
    try {
      out.email = normalize_email(*email);
    } catch (const Error& e) {
      invalidate(out, e.what());
    }
  }
  if (auto phone = present(raw.phone)) {
    try {
      out.phone = normalize_phone(*phone, phone_region(out, raw.region));
    } catch (const Error& e) {
      invalidate(out, e.what());
    }
  }
  if (auto first = present(raw.first_name)) out.first_name = non_empty(normalize_name(*first));
  if (auto last = present(raw.last_name)) out.last_name = non_empty(normalize_name(*last));
  if (auto full = present(raw.full_name)) {
    out.full_name = non_empty(normalize_name(*full));
  } else if (out.first_name || out.last_name) {
    out.full_name =
        non_empty(normalize_name(out.first_name.value_or("") + " " + out.last_name.value_or("")));
  }
  drop_if_too_long(out, out.first_name, "first name");
  drop_if_too_long(out, out.last_name, "last name");
  drop_if_too_long(out, out.full_name, "full name");
  if (auto company = present(raw.company)) out.company = non_empty(normalize_company(*company));
  drop_if_too_long(out, out.company, "company");
  if (auto domain = present(raw.domain)) {
    try {
      out.domain = normalize_domain(*domain);
    } catch (const Error& e) {
      out.domain = std::nullopt;  // a bad website is not an identity problem; drop it
    }
  }
  for (const auto& [role, raw_value] : raw.more) {
    const auto parsed = match::parse_role(role);
    if (!parsed) continue;
    std::string v = match::normalize_for_role(*parsed, raw_value, phone_region(out, raw.region));
    v.erase(std::remove(v.begin(), v.end(), kUnitSeparator), v.end());
    if (v.empty()) continue;
    if (v.size() > kMaxNameBytes) {
      invalidate(out, role + " longer than " + std::to_string(kMaxNameBytes) + " bytes");
      continue;
    }
    out.more.emplace_back(role, std::move(v));
  }
  if (!out.has_identity() && out.valid)
    invalidate(out, "no identity: the row has no external id, no valid email and no valid phone");
  return out;
}

MatchKey record_key(const NormalizedRecord& rec) {
  MatchKey key{rec.external_id, rec.phone, rec.email};
  validate(key);
  return key;
}

std::optional<std::string> name_block(const NormalizedRecord& rec) {
  if (!rec.first_name || !rec.last_name) return std::nullopt;
  const std::string first = canonical_first_name(*rec.first_name);
  // One character, as SQL's left(name, 1) takes it: a UTF-8 lead byte and its continuations.
  size_t end = first.empty() ? 0 : 1;
  while (end < first.size() && (static_cast<unsigned char>(first[end]) & 0xC0) == 0x80) ++end;
  return double_metaphone(*rec.last_name).primary + ":" + first.substr(0, end);
}

}  // namespace dedupe
