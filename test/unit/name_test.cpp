#include "core/normalize/name.hpp"

#include <gtest/gtest.h>

#include <random>

#include "core/normalize/fold.hpp"
#include "core/normalize/tokens.hpp"

namespace dedupe {
namespace {

TEST(NormalizeName, DoneWhen) {
  EXPECT_EQ(normalize_name("Dr. José Álvarez-Núñez Jr."), "jose alvarez nunez");
}

TEST(NormalizeName, ScriptsAndCaseAgree) {
  EXPECT_EQ(normalize_name("Žofie"), "zofie");
  EXPECT_EQ(normalize_name("Zofie"), "zofie");
  EXPECT_EQ(normalize_name("ZOFIE"), "zofie");
  EXPECT_EQ(normalize_name("Дмитрий Иванов"), "dmitrij ivanov");
  EXPECT_EQ(normalize_name("Ελένη Παπαδοπούλου"), "elene papadopoulou");
  EXPECT_EQ(normalize_name("Ｊｏｈｎ"), "john");  // full-width (NFKC)
  EXPECT_EQ(normalize_name("Zo\xCC\x88"
                           "e"),
            "zoe");  // o + combining diaeresis
}

TEST(NormalizeName, Punctuation) {
  EXPECT_EQ(normalize_name("O'Brien"), "obrien");  // apostrophes join
  EXPECT_EQ(normalize_name("O’Brien"), "obrien");  // typographic apostrophe too
  EXPECT_EQ(normalize_name("D`Angelo"), "dangelo");
  EXPECT_EQ(normalize_name("Smith-Jones"), "smith jones");  // hyphens separate
  EXPECT_EQ(normalize_name("Smith, John"), "smith john");   // order is kept
  EXPECT_EQ(normalize_name("J.R.R. Tolkien"), "j r r tolkien");
  EXPECT_EQ(normalize_name("  Ann \t Lee\n"), "ann lee");
  EXPECT_EQ(normalize_name("Ann (Annie) Lee"), "ann annie lee");
}

TEST(NormalizeName, TitlesAndSuffixesAreWholeTokens) {
  EXPECT_EQ(normalize_name("Mr. John Smith"), "john smith");
  EXPECT_EQ(normalize_name("Prof. Dr. Anna Weber"), "anna weber");
  EXPECT_EQ(normalize_name("MRS ANNA WEBER"), "anna weber");
  EXPECT_EQ(normalize_name("John Smith III"), "john smith");
  EXPECT_EQ(normalize_name("John Smith, Ph.D., M.D."), "john smith");
  EXPECT_EQ(normalize_name("Martin Luther King, Jr."), "martin luther king");
  EXPECT_EQ(normalize_name("Drew Mrsic"), "drew mrsic");        // prefixes of words stay
  EXPECT_EQ(normalize_name("Jr Smith"), "jr smith");            // suffixes only at the end
  EXPECT_EQ(normalize_name("Anna Dr Weber"), "anna dr weber");  // titles only at the front
  EXPECT_EQ(normalize_name("Yo Ma"), "yo ma");
}

TEST(NormalizeName, NeverRemovesTheLastToken) {
  EXPECT_EQ(normalize_name("Dr"), "dr");
  EXPECT_EQ(normalize_name("Dr."), "dr");
  EXPECT_EQ(normalize_name("Junior"), "junior");
  EXPECT_EQ(normalize_name("Mr Jr"), "jr");
  EXPECT_EQ(normalize_name("Sir Miss"), "miss");
}

TEST(NormalizeName, EmptyAndOdd) {
  EXPECT_EQ(normalize_name(""), "");
  EXPECT_EQ(normalize_name(" \t\n "), "");
  EXPECT_EQ(normalize_name("...,--''"), "");
  EXPECT_EQ(normalize_name("\xCC\x81"), "");  // a lone combining mark
  EXPECT_NO_THROW(normalize_name(std::string("\xff\xfe J\0o", 6)));
  EXPECT_EQ(normalize_name("Anna 😀 Lee"), "anna lee");
  EXPECT_EQ(normalize_name("李小龍"), "li xiao long");
}

TEST(NormalizeName, LargeInput) {
  std::string big;
  for (int i = 0; i < 2000; ++i) big += "Ab-C ";  // 10 kB
  const std::string out = normalize_name(big);
  EXPECT_EQ(out.size(), 2000 * 5 - 1);
  EXPECT_EQ(out.substr(0, 14), "ab c ab c ab c");
  std::string accented;
  for (int i = 0; i < 1000; ++i) accented += "Žofie ";
  EXPECT_EQ(normalize_name(accented).size(), 1000 * 6 - 1);
}

// The ASCII fast path must be exactly fold(): every ASCII byte, and random ASCII strings.
TEST(FoldFast, EqualsFoldOnAscii) {
  for (int c = 0; c < 128; ++c) {
    const std::string s = std::string("a") + static_cast<char>(c) + "B";
    EXPECT_EQ(detail::fold_fast(s), fold(s)) << "byte " << c;
  }
  std::mt19937 rng(42);
  std::uniform_int_distribution<int> byte(0, 127), len(0, 40);
  for (int i = 0; i < 5000; ++i) {
    std::string s(static_cast<size_t>(len(rng)), ' ');
    for (char& ch : s) ch = static_cast<char>(byte(rng));
    ASSERT_EQ(detail::fold_fast(s), fold(s)) << s;
  }
  EXPECT_EQ(detail::fold_fast("Žofie"), fold("Žofie"));
}

}  // namespace
}  // namespace dedupe
