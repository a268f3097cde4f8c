#include "core/normalize/fold.hpp"

#include <gtest/gtest.h>

namespace dedupe {
namespace {

TEST(Fold, TransliteratesAndCaseFolds) {
  EXPECT_EQ(fold("Žofie Ελένη"), "zofie elene");
  EXPECT_EQ(fold("José Núñez"), "jose nunez");
  EXPECT_EQ(fold("STRASSE Straße"), "strasse strasse");
  EXPECT_EQ(fold("Дмитрий"), "dmitrij");
}

TEST(Fold, CollapsesWhitespace) {
  EXPECT_EQ(fold("  Ann \t\n  Lee  "), "ann lee");
  EXPECT_EQ(fold(""), "");
  EXPECT_EQ(fold(" \t "), "");
}

TEST(Fold, CompatibilityFormsAgree) {
  EXPECT_EQ(fold("ＡＢＣ"), "abc");   // full-width letters (NFKC)
  EXPECT_EQ(fold("e\xCC\x81"), "e");  // e + combining acute
}

TEST(Fold, InvalidUtf8DoesNotThrow) { EXPECT_NO_THROW(fold(std::string("\xff\xfe abc", 6))); }

TEST(Fold, LargeInput) {
  std::string big(10 * 1024, 'A');
  EXPECT_EQ(fold(big), std::string(10 * 1024, 'a'));
}

}  // namespace
}  // namespace dedupe

TEST(Fold, LongInputIsFoldedInPiecesWithTheSameResult) {
  std::string words;
  for (int i = 0; i < 3000; ++i) words += "Žofie Дмитрий ";
  const std::string folded = dedupe::fold(words);
  EXPECT_EQ(folded.substr(0, 21), "zofie dmitrij zofie d");
  EXPECT_EQ(folded.size(), 3000u * 14 - 1);
  std::string no_spaces;
  for (int i = 0; i < 5000; ++i) no_spaces += "ж";
  EXPECT_EQ(dedupe::fold(no_spaces), std::string(5000, 'z'))
      << "ж -> ž -> z, cut between code points";
}
