// Every metric on the edge cases: empty, identical, one character, combining marks, emoji,
// 10 kB strings; and the packed q-gram multiset against a plain map-based reference.
#include "core/error.hpp"
#include "core/similarity/metrics.hpp"
#include "core/similarity/myers.hpp"
#include "core/similarity/qgrams.hpp"

#include <gtest/gtest.h>
#include <unicode/utf8.h>

#include <map>
#include <random>
#include <string>

namespace dedupe {
namespace {

std::u32string cp(const std::string& s) { return code_points(s); }

TEST(EdgeCases, EmptyStrings) {
  EXPECT_EQ(levenshtein(cp(""), cp("")), 0);
  EXPECT_EQ(levenshtein_bounded(cp(""), cp("abc"), 1), 2);
  EXPECT_EQ(damerau_levenshtein_osa(cp(""), cp("abc")), 3);
  EXPECT_DOUBLE_EQ(jaro(cp(""), cp("")), 1.0);
  EXPECT_DOUBLE_EQ(jaro(cp(""), cp("x")), 0.0);
  EXPECT_DOUBLE_EQ(qgram_similarity(cp(""), cp("x"), 3), 0.0);
  EXPECT_DOUBLE_EQ(token_set_similarity(cp(""), cp("x")), 0.0);
}

TEST(EdgeCases, IdenticalStrings) {
  for (const char* s : {"a", "john smith", "Žofie", "😀😃", "東京都"}) {
    EXPECT_EQ(levenshtein(cp(s), cp(s)), 0) << s;
    EXPECT_EQ(levenshtein_bounded(cp(s), cp(s), 0), 0) << s;
    EXPECT_EQ(damerau_levenshtein_osa(cp(s), cp(s)), 0) << s;
    EXPECT_DOUBLE_EQ(jaro_winkler(cp(s), cp(s)), 1.0) << s;
    for (int q = 1; q <= 3; ++q) EXPECT_DOUBLE_EQ(qgram_similarity(cp(s), cp(s), q), 1.0) << s;
  }
}

TEST(EdgeCases, OneCharacter) {
  EXPECT_EQ(levenshtein(cp("a"), cp("b")), 1);
  EXPECT_EQ(damerau_levenshtein_osa(cp("a"), cp("b")), 1);
  EXPECT_DOUBLE_EQ(jaro(cp("a"), cp("b")), 0.0);
  EXPECT_DOUBLE_EQ(jaro(cp("a"), cp("a")), 1.0);
  // ^^a ^a$ a$$ vs ^^b ^b$ b$$: nothing in common
  EXPECT_DOUBLE_EQ(qgram_similarity(cp("a"), cp("b"), 3), 0.0);
  // q = 1 has no padding: the multisets {a} and {a, a}
  EXPECT_DOUBLE_EQ(qgram_similarity(cp("a"), cp("aa"), 1), 0.5);
}

TEST(EdgeCases, CombiningMarksAreCodePoints) {
  // 'e' + U+0308 is two code points; precomposed 'ë' is one: not equal unless folded.
  EXPECT_EQ(levenshtein(cp("Zoe\u0308"), cp("Zoë")), 2);
  EXPECT_EQ(levenshtein(cp("Zoe\u0308"), cp("Zoe")), 1);
  EXPECT_EQ(damerau_levenshtein_osa(cp("e\u0301a"), cp("ae\u0301")), 2);
}

TEST(EdgeCases, EmojiAreOneCodePointEach) {
  EXPECT_EQ(levenshtein(cp("😀a"), cp("a")), 1);
  EXPECT_EQ(damerau_levenshtein_osa(cp("😀😃"), cp("😃😀")), 1);
  EXPECT_EQ(levenshtein_bounded(cp("😀😃😄"), cp("😄"), 1), 2);
  EXPECT_DOUBLE_EQ(qgram_similarity(cp("😀"), cp("😀"), 2), 1.0);
  EXPECT_DOUBLE_EQ(token_set_similarity(cp("😀 smith"), cp("smith")), 1.0);
}

TEST(EdgeCases, TenKilobyteStrings) {
  std::string base;
  std::mt19937 rng(7);
  while (base.size() < 10240) base.push_back(static_cast<char>('a' + rng() % 26));
  std::string edited = base;
  edited[100] = edited[100] == 'z' ? 'y' : 'z';
  edited.erase(5000, 1);
  edited.insert(9000, "q");
  EXPECT_EQ(levenshtein(cp(base), cp(edited)), 3);
  EXPECT_EQ(levenshtein_bounded(cp(base), cp(edited), 2), 3);
  EXPECT_EQ(levenshtein_bounded(cp(base), cp(edited), 5), 3);
  EXPECT_EQ(damerau_levenshtein_osa(cp(base), cp(edited)), 3);
  EXPECT_GT(jaro_winkler(cp(base), cp(edited)), 0.9);
  EXPECT_GT(qgram_similarity(cp(base), cp(edited), 3), 0.99);
  EXPECT_DOUBLE_EQ(token_set_similarity(cp(base), cp(base)), 1.0);
}

// Reference multiset Jaccard with strings as map keys.
double map_jaccard(const std::u32string& a, const std::u32string& b, int q) {
  auto grams = [q](const std::u32string& s) {
    std::u32string p =
        std::u32string(q - 1, qgrams::kStartPad) + s + std::u32string(q - 1, qgrams::kEndPad);
    std::map<std::u32string, int> m;
    for (size_t i = 0; i + q <= p.size(); ++i) ++m[p.substr(i, q)];
    return m;
  };
  auto ga = grams(a), gb = grams(b);
  long common = 0, total = 0;
  for (auto& [g, n] : ga) {
    total += n;
    if (gb.count(g)) common += std::min(n, gb[g]);
  }
  for (auto& [g, n] : gb) total += n;
  return total == common ? 1.0 : double(common) / double(total - common);
}

TEST(Qgrams, PackedAgreesWithMapReference) {
  std::mt19937 rng(11);
  const std::u32string alphabet = U"abé😀 ";
  for (int trial = 0; trial < 2000; ++trial) {
    std::u32string a, b;
    for (int i = rng() % 9; i > 0; --i) a.push_back(alphabet[rng() % alphabet.size()]);
    for (int i = rng() % 9; i > 0; --i) b.push_back(alphabet[rng() % alphabet.size()]);
    for (int q = 1; q <= 3; ++q) EXPECT_DOUBLE_EQ(qgram_similarity(a, b, q), map_jaccard(a, b, q));
  }
}

TEST(Qgrams, RejectsUnsupportedQ) {
  EXPECT_THROW(qgram_similarity(cp("a"), cp("b"), 0), Error);
  EXPECT_THROW(qgram_similarity(cp("a"), cp("b"), 4), Error);
}

}  // namespace
}  // namespace dedupe

namespace dedupe {
namespace {

TEST(Myers, AgreesWithDynamicProgram) {
  std::mt19937 rng(17);
  const std::u32string alphabet = U"abcé😀 ";
  for (int trial = 0; trial < 3000; ++trial) {
    std::u32string p, t;
    for (int n = rng() % 70; n > 0; --n) p.push_back(alphabet[rng() % alphabet.size()]);
    for (int n = rng() % 70; n > 0; --n) t.push_back(alphabet[rng() % alphabet.size()]);
    const MyersPattern pattern(p);
    EXPECT_EQ(pattern.distance(t), levenshtein(p, t));
    std::string utf8;
    for (char32_t c : t) {
      char buf[4];
      int32_t len = 0;
      U8_APPEND_UNSAFE(buf, len, static_cast<UChar32>(c));
      utf8.append(buf, len);
    }
    EXPECT_EQ(pattern.distance_utf8(utf8), levenshtein(p, t));
  }
}

TEST(Myers, EdgeCases) {
  EXPECT_EQ(MyersPattern(U"").distance(U"abc"), 3);
  EXPECT_EQ(MyersPattern(U"abc").distance(U""), 3);
  EXPECT_EQ(MyersPattern(U"a").distance(U"a"), 0);
  const std::u32string long64(64, U'x'), long65(65, U'x');
  EXPECT_EQ(MyersPattern(long64).distance(long65), 1);
  EXPECT_EQ(MyersPattern(long65).distance(long64), 1);  // falls back to the dynamic program
  EXPECT_EQ(MyersPattern(U"kitten").distance_utf8("sitting"), 3);
  EXPECT_EQ(MyersPattern(U"muller").distance_utf8("m\xC3\xBCller"), 1);
  EXPECT_EQ(MyersPattern(U"a").distance_utf8("\xFF"), 1);  // invalid byte: one U+FFFD
}

}  // namespace
}  // namespace dedupe
