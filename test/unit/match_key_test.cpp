#include "core/key/match_key.hpp"

#include <gtest/gtest.h>

#include <random>

#include "core/error.hpp"

namespace dedupe {
namespace {

MatchKey key(std::optional<std::string> e, std::optional<std::string> p,
             std::optional<std::string> m) {
  return MatchKey{std::move(e), std::move(p), std::move(m)};
}

std::string sqlstate_of(std::string_view text) {
  try {
    parse(text);
  } catch (const Error& e) {
    return e.sqlstate();
  }
  return "none";
}

TEST(MatchKey, FormatsCanonically) {
  EXPECT_EQ(format(key("hubspot:1", "+14155550132", "janedoe@gmail.com")),
            "(hubspot:1,+14155550132,janedoe@gmail.com)");
  EXPECT_EQ(format(key(std::nullopt, "+14155550132", std::nullopt)), "(,+14155550132,)");
  EXPECT_EQ(format(key("csv:a,b (x)\"\\", std::nullopt, std::nullopt)),
            "(\"csv:a,b (x)\\\"\\\\\",,)");
}

TEST(MatchKey, TextRoundTripsForAnyExternalId) {
  std::mt19937 rng(7);
  const std::string alphabet = "ab:,()\" \\\t\xc3\xa9";
  for (int i = 0; i < 2000; ++i) {
    std::string id = "src:";
    for (int n = rng() % 12; n >= 0; --n) id += alphabet[rng() % alphabet.size()];
    const MatchKey k = key(id, i % 2 ? std::optional<std::string>("+442079460958") : std::nullopt,
                           i % 3 ? std::optional<std::string>("a@b.co") : std::nullopt);
    EXPECT_EQ(compare(parse(format(k)), k), 0) << format(k);
    EXPECT_EQ(format(parse(format(k))), format(k));
  }
}

TEST(MatchKey, BinaryRoundTrips) {
  const MatchKey k = key("hubspot:" + std::string(300, 'x'), "+14155550132", "a@b.co");
  EXPECT_EQ(compare(decode(encode(k)), k), 0);
  EXPECT_EQ(encode(key(std::nullopt, std::nullopt, "a@b.co")).size(), 1u + 1u + 6u);
  EXPECT_THROW(decode(""), Error);
  EXPECT_THROW(decode(std::string("\x08", 1)), Error);
  EXPECT_THROW(decode(std::string("\x01\x05"
                                  "ab",
                                  4)),
               Error);
}

TEST(MatchKey, RejectsBadText) {
  EXPECT_EQ(sqlstate_of("(,,)"), "23502");
  for (const char* bad : {"", "hubspot:1", "(hubspot:1,,", "(hubspot:1,,))", "(hubspot:1)",
                          "(nocolon,,)", "(,4155550132,)", "(,+0155,)", "(,,Jane@x.com)",
                          "(,,jane)", "(\"unterminated,,)", "(a b:1,,)", "(\"\",,)"})
    EXPECT_EQ(sqlstate_of(bad), "22P02") << bad;
}

TEST(MatchKey, OrderAndEquality) {
  const MatchKey a = key("a:1", std::nullopt, std::nullopt),
                 b = key("a:2", std::nullopt, std::nullopt),
                 only_phone = key(std::nullopt, "+14155550132", std::nullopt);
  EXPECT_LT(compare(a, b), 0);
  EXPECT_GT(compare(b, a), 0);
  EXPECT_LT(compare(only_phone, a), 0) << "an absent external id sorts first";
  EXPECT_EQ(compare(a, key("a:1", std::nullopt, std::nullopt)), 0);
  EXPECT_EQ(encode(a), encode(key("a:1", std::nullopt, std::nullopt))) << "equal keys, equal bytes";
}

TEST(MatchKey, OverlapAndContainment) {
  const MatchKey full = key("hubspot:1", "+14155550132", "jane@x.com");
  EXPECT_TRUE(overlaps(full, key(std::nullopt, "+14155550132", std::nullopt)));
  EXPECT_FALSE(overlaps(full, key("salesforce:1", "+14155550133", "john@x.com")));
  EXPECT_FALSE(
      overlaps(key("a:1", std::nullopt, std::nullopt), key(std::nullopt, std::nullopt, "a@1.co")));
  EXPECT_TRUE(contains(full, key("hubspot:1", std::nullopt, "jane@x.com")));
  EXPECT_FALSE(contains(full, key("hubspot:1", std::nullopt, "john@x.com")));
  EXPECT_FALSE(contains(key("hubspot:1", std::nullopt, std::nullopt), full));
}

}  // namespace
}  // namespace dedupe
