#include "core/similarity/metrics.hpp"

#include <gtest/gtest.h>

#include <climits>

namespace dedupe {
namespace {

std::u32string cp(const char* s) { return code_points(s); }

TEST(Levenshtein, Basics) {
  EXPECT_EQ(levenshtein(cp(""), cp("")), 0);
  EXPECT_EQ(levenshtein(cp("abc"), cp("")), 3);
  EXPECT_EQ(levenshtein(cp("kitten"), cp("sitting")), 3);
  EXPECT_EQ(levenshtein(cp("Müller"), cp("Muller")), 1);  // one code point, two bytes
  EXPECT_EQ(levenshtein(cp("😀a"), cp("a")), 1);
}

TEST(Levenshtein, BoundedAgreesWithFullWithinBound) {
  const char* words[] = {"", "a", "ab", "smith", "smyth", "schmidt", "jonathan", "johnathon", "x"};
  for (auto* x : words)
    for (auto* y : words)
      for (int k = 0; k <= 4; ++k) {
        int full = levenshtein(cp(x), cp(y));
        EXPECT_EQ(levenshtein_bounded(cp(x), cp(y), k), full <= k ? full : k + 1) << x << " " << y;
      }
}

// Issue 13 item 3: k + 1 and i + k overflowed int and the band wrote past the rows.
TEST(Levenshtein, BoundedHugeBoundsAreTheFullDistance) {
  for (int k : {INT_MAX, INT_MAX - 1, INT_MAX / 2, 1000000}) {
    EXPECT_EQ(levenshtein_bounded(cp("John"), cp("John"), k), 0);
    EXPECT_EQ(levenshtein_bounded(cp("John"), cp("Jon"), k), 1);
    EXPECT_EQ(levenshtein_bounded(cp(""), cp("abc"), k), 3);
    EXPECT_EQ(levenshtein_bounded(cp("smith"), cp("schmidt"), k), 4);
  }
  EXPECT_EQ(levenshtein_bounded(cp("John"), cp("Mary"), INT_MIN), 1);  // negative reads as 0
}

TEST(Osa, Transpositions) {
  EXPECT_EQ(damerau_levenshtein_osa(cp("ab"), cp("ba")), 1);
  EXPECT_EQ(damerau_levenshtein_osa(cp("ca"), cp("abc")), 3);  // OSA, not unrestricted DL
  EXPECT_EQ(damerau_levenshtein_osa(cp("martha"), cp("marhta")), 1);
}

TEST(JaroWinkler, ClassicValues) {
  EXPECT_NEAR(jaro_winkler(cp("MARTHA"), cp("MARHTA")), 0.961, 0.0005);
  EXPECT_NEAR(jaro_winkler(cp("DIXON"), cp("DICKSONX")), 0.813, 0.0005);
  EXPECT_NEAR(jaro(cp("MARTHA"), cp("MARHTA")), 0.944, 0.0005);
  EXPECT_DOUBLE_EQ(jaro_winkler(cp(""), cp("")), 1.0);
  EXPECT_DOUBLE_EQ(jaro_winkler(cp("a"), cp("")), 0.0);
  EXPECT_DOUBLE_EQ(jaro_winkler(cp("same"), cp("same")), 1.0);
}

TEST(Qgram, PaddedJaccard) {
  EXPECT_DOUBLE_EQ(qgram_similarity(cp("abc"), cp("abc"), 2), 1.0);
  // ^a ab b$ vs ^a ac c$: 1 common of 5 distinct
  EXPECT_DOUBLE_EQ(qgram_similarity(cp("ab"), cp("ac"), 2), 1.0 / 5.0);
  EXPECT_DOUBLE_EQ(qgram_similarity(cp(""), cp(""), 3), 1.0);
  EXPECT_DOUBLE_EQ(qgram_similarity(cp("a"), cp(""), 2), 0.0);
}

TEST(TokenSet, OrderInsensitive) {
  EXPECT_DOUBLE_EQ(token_set_similarity(cp("Smith, John"), cp("John Smith")), 1.0);
  EXPECT_GT(token_set_similarity(cp("Jon Smyth"), cp("John Smith")), 0.8);
  EXPECT_DOUBLE_EQ(token_set_similarity(cp(""), cp("")), 1.0);
  EXPECT_DOUBLE_EQ(token_set_similarity(cp("..."), cp("a")), 0.0);
}

TEST(Metrics, LargeInputs) {
  std::u32string a(10000, U'a'), b(10000, U'b');
  EXPECT_EQ(levenshtein_bounded(a, b, 3), 4);
  EXPECT_EQ(levenshtein(a, a), 0);
  EXPECT_DOUBLE_EQ(jaro_winkler(a, a), 1.0);
}

}  // namespace
}  // namespace dedupe
