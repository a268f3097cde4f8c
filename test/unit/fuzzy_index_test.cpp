// The index-side logic of fuzzy search, checked against brute force: the GIN count/length
// filter never rejects a row the operator accepts, and the GiST bounds never exceed
// (edit distance) or fall below (similarity) the true value of any string in a region.
#include "core/normalize/fold.hpp"
#include "core/similarity/count_filter.hpp"
#include "core/similarity/fuzzy_keys.hpp"
#include "core/similarity/metrics.hpp"
#include "core/similarity/signature.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <random>
#include <string>
#include <vector>

namespace dedupe::fuzzy {
namespace {

// What GIN would report for a row: for each query key, is it among the row's keys?
std::vector<Tri> states_for(const CountFilter& f, std::u32string_view row) {
  const std::vector<int32_t> keys = index_keys(row);
  std::vector<Tri> states;
  for (int32_t key : f.keys)
    states.push_back(std::binary_search(keys.begin(), keys.end(), key) ? Tri::kTrue : Tri::kFalse);
  return states;
}

bool candidate(const CountFilter& f, std::u32string_view row) {
  if (f.match_all) return true;
  const std::vector<Tri> states = states_for(f, row);
  return count_filter_verdict(f, states.data()) != Tri::kFalse;
}

std::u32string random_word(std::mt19937& rng, const std::u32string& alphabet, int max_length) {
  std::u32string s;
  for (int n = rng() % (max_length + 1); n > 0; --n) s.push_back(alphabet[rng() % alphabet.size()]);
  return s;
}

std::u32string mutate(std::mt19937& rng, std::u32string s, const std::u32string& alphabet,
                      int edits) {
  for (int e = 0; e < edits; ++e) {
    const size_t i = s.empty() ? 0 : rng() % s.size();
    switch (rng() % 3) {
      case 0:
        if (!s.empty()) s[i] = alphabet[rng() % alphabet.size()];
        break;
      case 1:
        s.insert(s.begin() + i, alphabet[rng() % alphabet.size()]);
        break;
      default:
        if (!s.empty()) s.erase(i, 1);
    }
  }
  return s;
}

TEST(FoldForMatch, AsciiFastPathEqualsFold) {
  std::string all;
  for (int c = 1; c < 128; ++c) all.push_back(static_cast<char>(c));
  EXPECT_EQ(fold_for_match(all), fold(all));
  std::mt19937 rng(3);
  for (int trial = 0; trial < 500; ++trial) {
    std::string s;
    for (int n = rng() % 20; n > 0; --n) s.push_back(static_cast<char>(1 + rng() % 127));
    EXPECT_EQ(fold_for_match(s), fold(s)) << s;
  }
  EXPECT_EQ(fold_for_match("José Núñez"), "jose nunez");  // not ASCII: through ICU
  EXPECT_EQ(fold_for_match("  Jon \t SMITH "), "jon smith");
}

TEST(FuzzyKeys, GramAndLengthKeysNeverCollide) {
  for (int32_t key : gram_keys(U"hello world")) EXPECT_FALSE(is_length_key(key));
  for (int32_t key : index_keys(U"hello world"))
    EXPECT_EQ(is_length_key(key), key == length_key(11));
  EXPECT_TRUE(is_length_key(length_key(0)));
  EXPECT_EQ(length_bucket(10000), length_bucket(kLongLength));
  EXPECT_EQ(length_bucket(kLongLength - 1), kLongLength - 1);
  // one key per gram occurrence: 'aaaa' has ^^a ^aa aaa aaa aa$ a$$, 'aaa' twice
  EXPECT_EQ(gram_keys(U"aaaa").size(), 6u);
  EXPECT_EQ(index_keys(U"aaaa").size(), 7u);
  EXPECT_EQ(gram_keys(U"").size(), 2u);  // ^^$ and ^$$
  // long queries need no length keys; short ones with a large k do
  for (int32_t key : edit_distance_filter(U"jonathan smith", 2).keys)
    EXPECT_FALSE(is_length_key(key));
  const CountFilter short_query = edit_distance_filter(U"al", 2);
  EXPECT_EQ(std::count_if(short_query.keys.begin(), short_query.keys.end(), is_length_key), 5);
}

TEST(CountFilter, NoFalseNegativesForEditDistance) {
  std::mt19937 rng(42);
  const std::u32string alphabet = U"abcde é😀";
  int checked = 0;
  for (int trial = 0; trial < 4000; ++trial) {
    const std::u32string query = random_word(rng, alphabet, 12);
    const int k = rng() % 5;
    const CountFilter f = edit_distance_filter(query, k);
    for (int r = 0; r < 10; ++r) {
      const std::u32string row =
          r < 5 ? mutate(rng, query, alphabet, rng() % (k + 2)) : random_word(rng, alphabet, 12);
      if (levenshtein(query, row) <= k) {
        ++checked;
        EXPECT_TRUE(candidate(f, row)) << "k=" << k;
      }
    }
  }
  EXPECT_GT(checked, 10000);
}

TEST(CountFilter, ShortStringsAndLargeK) {
  // max(|q|, |s|) + 2 - 9 <= 0 here: the length keys alone make every row of an
  // admissible length a candidate, though no gram is shared
  for (const std::u32string query : {U"", U"a", U"ab", U"abc", U"abcd"}) {
    const CountFilter f = edit_distance_filter(query, 3);
    for (const std::u32string row : {U"", U"x", U"xy", U"xyz", U"wxyz", U"vwxyz"}) {
      const long gap = static_cast<long>(row.size()) - static_cast<long>(query.size());
      EXPECT_EQ(candidate(f, row), std::abs(gap) <= 3);
      if (levenshtein(query, row) <= 3) EXPECT_TRUE(candidate(f, row));
    }
  }
  // with length keys, a row too long or too short is never a candidate
  EXPECT_FALSE(candidate(edit_distance_filter(U"al", 2), U"alxyz"));
  EXPECT_TRUE(candidate(edit_distance_filter(U"al", 2), U"xyzw"));
  // without (the count bound is positive), the length filter is the recheck's job
  EXPECT_TRUE(candidate(edit_distance_filter(U"ab", 1), U"abcd"));
}

TEST(CountFilter, FiltersUnrelatedStrings) {
  const CountFilter f = edit_distance_filter(U"jonathan smith", 2);
  EXPECT_TRUE(candidate(f, U"johnathan smyth"));
  EXPECT_FALSE(candidate(f, U"maria gonzalez"));
  EXPECT_FALSE(candidate(f, U"smith jonathan"));
}

TEST(CountFilter, VeryLongStringsShareTheLastLengthKey) {
  std::u32string longer(600, U'a'), query(600, U'a');
  EXPECT_TRUE(candidate(edit_distance_filter(query, 3), std::u32string(598, U'a')));
  longer[300] = U'b';
  EXPECT_TRUE(candidate(edit_distance_filter(query, 1), longer));
  EXPECT_TRUE(candidate(edit_distance_filter(query, 0), query));
  EXPECT_FALSE(candidate(edit_distance_filter(query, 0), longer));
}

TEST(CountFilter, NoFalseNegativesForSimilarity) {
  std::mt19937 rng(5);
  const std::u32string alphabet = U"abcdeé ";
  int checked = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    const std::u32string query = random_word(rng, alphabet, 14);
    const double t = std::vector<double>{0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0}[rng() % 7];
    const CountFilter f = similarity_filter(query, static_cast<float>(t));
    for (int r = 0; r < 10; ++r) {
      const std::u32string row =
          r < 6 ? mutate(rng, query, alphabet, rng() % 4) : random_word(rng, alphabet, 14);
      if (qgram_similarity(query, row, kQ) >= static_cast<float>(t)) {
        ++checked;
        EXPECT_TRUE(candidate(f, row)) << "t=" << t;
      }
    }
  }
  EXPECT_GT(checked, 8000);
  EXPECT_TRUE(similarity_filter(U"abc", 0).match_all);
  // NaN never reaches here from SQL (22023), but the core must not cast it to a length.
  EXPECT_TRUE(similarity_filter(U"abc", std::nan("")).match_all);
}

Region region_of(const std::vector<std::u32string>& strings) {
  Region r;
  r.min_length = UINT32_MAX;
  for (const auto& s : strings) {
    r.signature.merge(signature_of(gram_keys(s)));
    r.min_length = std::min<uint32_t>(r.min_length, s.size());
    r.max_length = std::max<uint32_t>(r.max_length, s.size());
  }
  return r;
}

TEST(Signature, BoundsHoldForEveryMember) {
  std::mt19937 rng(9);
  const std::u32string alphabet = U"abcdefghij ";
  for (int trial = 0; trial < 2000; ++trial) {
    const std::u32string query = random_word(rng, alphabet, 15);
    std::vector<std::u32string> members;
    for (int n = 1 + rng() % 6; n > 0; --n)
      members.push_back(rng() % 2 ? mutate(rng, query, alphabet, rng() % 5)
                                  : random_word(rng, alphabet, 15));
    const Region r = region_of(members);
    const GramProfile p = gram_profile(query);
    const int lower = edit_distance_lower_bound(p, r);
    const double upper = similarity_upper_bound(p, r);
    for (const auto& m : members) {
      EXPECT_LE(lower, levenshtein(query, m));
      EXPECT_GE(upper + 1e-12, qgram_similarity(query, m, kQ));
    }
  }
}

TEST(Signature, BoundsAreUseful) {
  const GramProfile p = gram_profile(U"jonathan smith");
  const Region far = region_of({U"maria gonzalez", U"li wei"});
  EXPECT_GE(edit_distance_lower_bound(p, far), 3);
  EXPECT_LT(similarity_upper_bound(p, far), 0.3);
  const Region near = region_of({U"jonathan smyth"});
  EXPECT_LE(edit_distance_lower_bound(p, near), 1);
}

TEST(Signature, SplitKeepsBothSidesAndGroupsNeighbours) {
  std::vector<Region> regions;
  for (const auto* s : {U"aaaaaaa", U"aaaaaab", U"zzzzzzz", U"zzzzzzy", U"aaaaaac", U"zzzzzzx"})
    regions.push_back(region_of({s}));
  const std::vector<bool> left = split_regions(regions);
  EXPECT_EQ(left[0], left[1]);
  EXPECT_EQ(left[0], left[4]);
  EXPECT_EQ(left[2], left[3]);
  EXPECT_NE(left[0], left[2]);
  std::vector<Region> same(50, region_of({U"x"}));
  const std::vector<bool> split = split_regions(same);
  const long n_left = std::count(split.begin(), split.end(), true);
  EXPECT_GE(n_left, 10);
  EXPECT_LE(n_left, 40);
}

}  // namespace
}  // namespace dedupe::fuzzy
