#include "core/normalize/record.hpp"

#include <cctype>

#include "core/error.hpp"
#include "core/normalize/company.hpp"
#include "core/normalize/domain.hpp"
#include "core/normalize/email.hpp"
#include "core/normalize/name.hpp"
#include "core/normalize/phone.hpp"
#include "core/no_postgres.hpp"

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
  if (!out.has_identity() && out.valid)
    invalidate(out, "no identity: the row has no external id, no valid email and no valid phone");
  return out;
}

MatchKey record_key(const NormalizedRecord& rec) {
  MatchKey key{rec.external_id, rec.phone, rec.email};
  validate(key);
  return key;
}

}  // namespace dedupe
