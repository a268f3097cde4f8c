// Phone normalization through libphonenumber: E.164 for matching, plus the facts
// (type, region, extension) a dedupe rule may want. The region is an ISO 3166-1 alpha-2
// code used when the number has no international prefix.
//
// A parse costs about 11 us, the floor of the write path, and CRM feeds repeat numbers (that
// is why they need deduplicating): each thread (a backend) keeps the parses of the last
// kPhoneCacheCapacity distinct (region, raw text) pairs it saw, the errors included, so a
// recurring number costs a hash look-up and the functions below share one parse. Results and
// errors are the same with or without the cache (test/unit/phone_cache_test.cpp).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/lru_cache.hpp"

namespace dedupe {

// '(415) 555-0132' -> '+14155550132'. Throws Error(22P02) for unparseable or impossible
// numbers and Error(22023) for an unknown region code.
std::string normalize_phone(std::string_view raw, std::string_view region = "US");

// Never throws (an unknown region makes the number invalid).
bool is_valid_phone(std::string_view raw, std::string_view region = "US") noexcept;

// 'mobile', 'fixed_line', 'fixed_line_or_mobile', 'toll_free', 'voip', ... ; throws like
// normalize_phone.
std::string phone_type(std::string_view raw, std::string_view region = "US");

// The region the number belongs to ('GB' for '+44 20 7946 0958'); throws like normalize_phone.
std::string phone_region(std::string_view raw, std::string_view region = "US");

// The extension ('' when none); throws like normalize_phone.
std::string phone_extension(std::string_view raw, std::string_view region = "US");

// About 2 MB at most per backend (make bench BENCH=phone_cache prints it).
inline constexpr size_t kPhoneCacheCapacity = 4096;

// This thread's parse cache: capacity, entries, hits, misses, evictions.
LruCacheStats phone_cache_stats() noexcept;

// Forgets every kept parse and keeps at most `entries` from now on (0: none); for tests and
// benchmarks.
void reset_phone_cache(size_t entries = kPhoneCacheCapacity);

// True when libphonenumber knows the region code (case-insensitive 'gb' / 'GB').
bool is_known_region(std::string_view region) noexcept;

// libphonenumber's version string, for dedupe.library_versions().
std::string libphonenumber_version();

}  // namespace dedupe
