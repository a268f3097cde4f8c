#include "core/normalize/phone.hpp"

#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include <optional>
#include <set>

#include "core/error.hpp"
#include "core/lru_cache.hpp"
#include "core/normalize/ascii.hpp"
#include "core/no_postgres.hpp"

#ifndef DEDUPE_LIBPHONENUMBER_VERSION
#define DEDUPE_LIBPHONENUMBER_VERSION "unknown"
#endif

namespace dedupe {
namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

// libphonenumber's own bound on input it will look at; longer strings are not numbers.
constexpr size_t kMaxPhoneInput = 250;

// The singleton loads metadata for every region once per process.
const PhoneNumberUtil& util() { return *PhoneNumberUtil::GetInstance(); }

std::string upper_region(std::string_view region) {
  std::string r(ascii::trim(region));
  for (char& c : r) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
  return r;
}

const char* parse_problem(PhoneNumberUtil::ErrorType error) {
  switch (error) {
    case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
      return "no valid country code (add '+' and the country code, or pass a region)";
    case PhoneNumberUtil::NOT_A_NUMBER:
      return "not a phone number";
    case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
      return "too short after the international prefix";
    case PhoneNumberUtil::TOO_SHORT_NSN:
      return "too short";
    case PhoneNumberUtil::TOO_LONG_NSN:
      return "too long";
    default:
      return "cannot be parsed";
  }
}

const char* possibility_problem(PhoneNumberUtil::ValidationResult result) {
  switch (result) {
    case PhoneNumberUtil::INVALID_COUNTRY_CODE:
      return "invalid country code";
    case PhoneNumberUtil::TOO_SHORT:
      return "too short for its country";
    case PhoneNumberUtil::TOO_LONG:
      return "too long for its country";
    case PhoneNumberUtil::INVALID_LENGTH:
      return "impossible length for its country";
    default:
      return "not a possible number";
  }
}

// Parses raw in region; throws 22023 for an unknown region and 22P02 for input that is not
// a possible number.
PhoneNumber parse(std::string_view raw, std::string_view region) {
  const std::string r = upper_region(region);
  if (!is_known_region(r))
    throw Error(sqlstate::kInvalidParameterValue,
                "unknown phone region \"" + ascii::clip(region) + "\"", {},
                "Use an ISO 3166-1 alpha-2 code such as US, GB or DE.");
  const std::string_view s = ascii::trim(raw);
  auto bad = [&](const char* why) {
    return Error(sqlstate::kInvalidTextRepresentation,
                 "invalid phone number \"" + ascii::clip(raw) + "\": " + why);
  };
  if (s.empty()) throw bad("empty");
  if (s.size() > kMaxPhoneInput) throw bad("longer than 250 bytes");
  PhoneNumber number;
  const auto error = util().Parse(std::string(s), r, &number);
  if (error != PhoneNumberUtil::NO_PARSING_ERROR) throw bad(parse_problem(error));
  const auto possible = util().IsPossibleNumberWithReason(number);
  if (possible != PhoneNumberUtil::IS_POSSIBLE) throw bad(possibility_problem(possible));
  return number;
}

const char* type_name(PhoneNumberUtil::PhoneNumberType type) {
  switch (type) {
    case PhoneNumberUtil::FIXED_LINE:
      return "fixed_line";
    case PhoneNumberUtil::MOBILE:
      return "mobile";
    case PhoneNumberUtil::FIXED_LINE_OR_MOBILE:
      return "fixed_line_or_mobile";
    case PhoneNumberUtil::TOLL_FREE:
      return "toll_free";
    case PhoneNumberUtil::PREMIUM_RATE:
      return "premium_rate";
    case PhoneNumberUtil::SHARED_COST:
      return "shared_cost";
    case PhoneNumberUtil::VOIP:
      return "voip";
    case PhoneNumberUtil::PERSONAL_NUMBER:
      return "personal_number";
    case PhoneNumberUtil::PAGER:
      return "pager";
    case PhoneNumberUtil::UAN:
      return "uan";
    case PhoneNumberUtil::VOICEMAIL:
      return "voicemail";
    default:
      return "unknown";
  }
}

// One parse of (raw, region): the number, or the error the parse raised. What the public
// functions derive from the number is filled in the first time one of them asks, so one
// parse serves normalize_phone, is_valid_phone, phone_type, phone_region and phone_extension.
struct ParsedPhone {
  std::optional<Error> error;
  PhoneNumber number;
  std::optional<std::string> e164, region;
  std::optional<bool> valid;
  const char* type = nullptr;
};

// Parses raw in region. Only the parse's own verdict (dedupe::Error) is kept as its result:
// anything else (out of memory) propagates and nothing is kept.
ParsedPhone parse_once(std::string_view raw, std::string_view region) {
  ParsedPhone p;
  try {
    p.number = parse(raw, region);
  } catch (const Error& e) {
    p.error = e;
  }
  return p;
}

// Longer inputs are refused before any parse (or are not regions at all): not worth a slot.
constexpr size_t kMaxCachedRegion = 8;

LruCache<ParsedPhone>& parse_cache() {
  thread_local LruCache<ParsedPhone> cache(kPhoneCacheCapacity);
  return cache;
}

// The parse of (raw, region), from this thread's cache when it was parsed lately; throws the
// parse's error, the same one on every call. `uncached` holds the parse when it is not kept.
// The reference is valid until the next call.
ParsedPhone& parsed(std::string_view raw, std::string_view region, ParsedPhone& uncached) {
  ParsedPhone* p = nullptr;
  LruCache<ParsedPhone>& cache = parse_cache();
  if (cache.capacity() > 0 && raw.size() <= kMaxPhoneInput && region.size() <= kMaxCachedRegion) {
    thread_local std::string key;  // the region's length, the region, the raw text
    key.assign(1, static_cast<char>(region.size()));
    key.append(region).append(raw);
    p = cache.find(key);
    if (!p) p = cache.insert(key, parse_once(raw, region));
  } else {
    p = &(uncached = parse_once(raw, region));
  }
  if (p->error) throw Error(*p->error);
  return *p;
}

std::string e164_of(const PhoneNumber& number) {
  std::string e164;
  util().Format(number, PhoneNumberUtil::E164, &e164);
  // Leading zeros kept after the country code ('44 0114...' read in GB) lose one per
  // re-parse of the E.164 form, except where the country dials them (Italy); settle on the
  // form that parses to itself so normalization is idempotent.
  bool leading_zero = number.italian_leading_zero();
  for (int round = 0; leading_zero && round < 20; ++round) {  // one zero per round, at most 17
    PhoneNumber again;
    std::string settled;
    if (util().Parse(e164, "ZZ", &again) != PhoneNumberUtil::NO_PARSING_ERROR ||
        !util().IsPossibleNumber(again))
      break;
    util().Format(again, PhoneNumberUtil::E164, &settled);
    if (settled == e164) break;
    e164 = settled;
    leading_zero = again.italian_leading_zero();
  }
  return e164;
}

}  // namespace

std::string normalize_phone(std::string_view raw, std::string_view region) {
  ParsedPhone uncached;
  ParsedPhone& p = parsed(raw, region, uncached);
  if (!p.e164) p.e164 = e164_of(p.number);
  return *p.e164;
}

bool is_valid_phone(std::string_view raw, std::string_view region) noexcept {
  try {
    ParsedPhone uncached;
    ParsedPhone& p = parsed(raw, region, uncached);
    if (!p.valid) p.valid = util().IsValidNumber(p.number);
    return *p.valid;
  } catch (...) {
    return false;
  }
}

std::string phone_type(std::string_view raw, std::string_view region) {
  ParsedPhone uncached;
  ParsedPhone& p = parsed(raw, region, uncached);
  if (!p.type) p.type = type_name(util().GetNumberType(p.number));
  return p.type;
}

std::string phone_region(std::string_view raw, std::string_view region) {
  ParsedPhone uncached;
  ParsedPhone& p = parsed(raw, region, uncached);
  if (!p.region) {
    std::string code;
    util().GetRegionCodeForNumber(p.number, &code);
    p.region = std::move(code);
  }
  return *p.region;
}

std::string phone_extension(std::string_view raw, std::string_view region) {
  ParsedPhone uncached;
  return parsed(raw, region, uncached).number.extension();
}

LruCacheStats phone_cache_stats() noexcept { return parse_cache().stats(); }

void reset_phone_cache(size_t entries) { parse_cache().reset(entries); }

bool is_known_region(std::string_view region) noexcept {
  try {
    static const std::set<std::string> regions = [] {
      std::set<std::string> r;
      util().GetSupportedRegions(&r);
      return r;
    }();
    return regions.count(upper_region(region)) > 0;
  } catch (...) {
    return false;
  }
}

std::string libphonenumber_version() { return DEDUPE_LIBPHONENUMBER_VERSION; }

}  // namespace dedupe
