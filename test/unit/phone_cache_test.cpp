// The per-thread phone parse cache (core/normalize/phone.hpp) and the LRU behind it: a hit
// answers exactly what a fresh parse answers, errors included, and the bound holds.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/lru_cache.hpp"
#include "core/normalize/phone.hpp"

namespace dedupe {
namespace {

// Everything the phone functions say about (raw, region): each value, or the whole error.
std::string outcome(std::string (*fn)(std::string_view, std::string_view), std::string_view raw,
                    std::string_view region) {
  try {
    return "ok:" + fn(raw, region);
  } catch (const Error& e) {
    return std::string("error:") + e.sqlstate() + "|" + e.what() + "|" + e.detail() + "|" +
           e.hint();
  }
}

std::vector<std::string> outcomes(std::string_view raw, std::string_view region) {
  return {outcome(normalize_phone, raw, region), outcome(phone_type, raw, region),
          outcome(phone_region, raw, region), outcome(phone_extension, raw, region),
          is_valid_phone(raw, region) ? "valid" : "invalid"};
}

struct Case {
  const char* raw;
  const char* region;
};

// Valid and invalid numbers, national and international formats, several regions, region
// spellings that differ only in case, errors of every kind.
const std::vector<Case> kCorpus = {
    {"(415) 555-0132", "US"},
    {"+1 415-555-0132", "US"},
    {"415.555.0132", "US"},
    {"1-800-FLOWERS", "US"},
    {"(415) 555-0132 ext. 42", "US"},
    {"011 44 20 7946 0958", "US"},
    {"020 7946 0958", "GB"},
    {"020 7946 0958", "gb"},
    {" 020 7946 0958 ", "GB"},
    {"+44 7400 123456", "US"},
    {"00 44 20 7946 0958", "DE"},
    {"030 1234567", "de"},
    {"06 12 34 56 78", "FR"},
    {"+61 2 9876 5432", "US"},
    {"03-1234-5678", "JP"},
    {"+39 06 1234 5678", "US"},
    {"44000114257222", "GB"},    // leading zeros settled by re-parsing
    {"004900000(0(0800", "GB"},  // six of them
    {"+1 555 555 5555", "US"},   // possible but not valid
    {"+44 20 7946", "US"},       // too short for its country
    {"", "US"},
    {"   ", "US"},
    {"12", "US"},
    {"hello", "US"},
    {"+999 123", "US"},
    {"415 555 01329999999", "US"},
    {"020 7946 0958", "XX"},
    {"020 7946 0958", "xx"},
    {"020 7946 0958", ""},
    {"020 7946 0958", "a very long region"},
};

TEST(PhoneCache, HitsAnswerWhatAFreshParseAnswers) {
  reset_phone_cache(0);
  std::vector<std::vector<std::string>> uncached;
  for (const Case& c : kCorpus) uncached.push_back(outcomes(c.raw, c.region));
  EXPECT_EQ(phone_cache_stats().size, 0u);

  reset_phone_cache();
  for (int round = 0; round < 3; ++round)  // a miss, then hits
    for (size_t i = 0; i < kCorpus.size(); ++i)
      EXPECT_EQ(outcomes(kCorpus[i].raw, kCorpus[i].region), uncached[i])
          << kCorpus[i].raw << " in " << kCorpus[i].region << ", round " << round;
  const LruCacheStats stats = phone_cache_stats();
  EXPECT_EQ(stats.size, kCorpus.size() - 1);  // the over-long region is not kept
  EXPECT_GT(stats.hits, stats.misses);
  EXPECT_EQ(stats.evictions, 0u);
}

TEST(PhoneCache, OneParseServesEveryFunction) {
  reset_phone_cache();
  // The facts asked for first on a hit, the other way round from above.
  EXPECT_TRUE(is_valid_phone("+44 7400 123456", "US"));
  EXPECT_EQ(phone_type("+44 7400 123456", "US"), "mobile");
  EXPECT_EQ(phone_region("+44 7400 123456", "US"), "GB");
  EXPECT_EQ(phone_extension("+44 7400 123456", "US"), "");
  EXPECT_EQ(normalize_phone("+44 7400 123456", "US"), "+447400123456");
  const LruCacheStats stats = phone_cache_stats();
  EXPECT_EQ(stats.misses, 1u);
  EXPECT_EQ(stats.hits, 4u);
  EXPECT_EQ(stats.size, 1u);
}

TEST(PhoneCache, ErrorsAreTheSameOnEveryCall) {
  reset_phone_cache();
  for (int round = 0; round < 2; ++round) {
    try {
      normalize_phone("020 7946 0958", "xx");
      FAIL() << "no error";
    } catch (const Error& e) {
      EXPECT_STREQ(e.sqlstate(), "22023");
      EXPECT_STREQ(e.what(), "unknown phone region \"xx\"");
      EXPECT_EQ(e.hint(), "Use an ISO 3166-1 alpha-2 code such as US, GB or DE.");
    }
    try {
      phone_type("12", "US");
      FAIL() << "no error";
    } catch (const Error& e) {
      EXPECT_STREQ(e.sqlstate(), "22P02");
      EXPECT_STREQ(e.what(), "invalid phone number \"12\": too short for its country");
    }
    EXPECT_FALSE(is_valid_phone("12", "US"));
  }
  EXPECT_EQ(phone_cache_stats().misses, 2u);  // each error parsed once
}

TEST(PhoneCache, StaysWithinItsBound) {
  reset_phone_cache(8);
  for (int i = 0; i < 100; ++i) {
    const std::string raw = "(415) 555-" + std::to_string(1000 + i);
    EXPECT_EQ(normalize_phone(raw, "US"), "+1415555" + std::to_string(1000 + i));
    EXPECT_LE(phone_cache_stats().size, 8u);
  }
  LruCacheStats stats = phone_cache_stats();
  EXPECT_EQ(stats.size, 8u);
  EXPECT_EQ(stats.evictions, 92u);
  EXPECT_EQ(stats.hits, 0u);
  normalize_phone("(415) 555-1099", "US");  // the newest is kept, the oldest is not
  normalize_phone("(415) 555-1000", "US");
  stats = phone_cache_stats();
  EXPECT_EQ(stats.hits, 1u);
  EXPECT_EQ(stats.misses, 101u);
  reset_phone_cache();
}

TEST(LruCache, ForgetsTheLeastRecentlyUsed) {
  LruCache<int> cache(2);
  cache.insert("a", 1);
  cache.insert("b", 2);
  ASSERT_NE(cache.find("a"), nullptr);  // "b" is now the least recently used
  cache.insert("c", 3);
  EXPECT_EQ(cache.find("b"), nullptr);
  ASSERT_NE(cache.find("a"), nullptr);
  EXPECT_EQ(*cache.find("a"), 1);
  EXPECT_EQ(*cache.find("c"), 3);
  cache.insert("c", 4);  // replaces, evicts nothing
  EXPECT_EQ(*cache.find("c"), 4);
  const LruCacheStats stats = cache.stats();
  EXPECT_EQ(stats.size, 2u);
  EXPECT_EQ(stats.evictions, 1u);
  EXPECT_EQ(stats.misses, 1u);
  // Keys are bytes: an embedded NUL is part of the key.
  cache.insert(std::string_view("x\0y", 3), 5);
  EXPECT_EQ(cache.find("x"), nullptr);
  EXPECT_EQ(*cache.find(std::string_view("x\0y", 3)), 5);
}

TEST(LruCache, CapacityZeroKeepsNothing) {
  LruCache<int> cache(0);
  EXPECT_EQ(cache.insert("a", 1), nullptr);
  EXPECT_EQ(cache.find("a"), nullptr);
  EXPECT_EQ(cache.stats().size, 0u);
}

}  // namespace
}  // namespace dedupe
