#include "core/similarity/double_metaphone.hpp"

#include <gtest/gtest.h>

namespace dedupe {
namespace {

std::string codes(std::string_view s, size_t max_length = 0) {
  const PhoneticCodes c = double_metaphone(s, max_length);
  return c.primary + "/" + c.alternate;
}

TEST(DoubleMetaphone, ClassicCases) {
  EXPECT_EQ(codes("Smith"), "SM0/XMT");
  EXPECT_EQ(codes("Schmidt"), "XMT/SMT");
  EXPECT_EQ(codes("Thompson"), "TMPSN/TMPSN");
  EXPECT_EQ(codes("Thomas"), "TMS/TMS");
  EXPECT_EQ(codes("Xavier"), "SF/SFR");
  EXPECT_EQ(codes("Jose"), "HS/HS");
  EXPECT_EQ(codes("San Jacinto"), "SNHSNT/SNHSNT");
  EXPECT_EQ(codes("Gnome"), "NM/NM");
  EXPECT_EQ(codes("Knight"), "NT/NT");
  EXPECT_EQ(codes("Caesar"), "SSR/SSR");
  EXPECT_EQ(codes("Michael"), "MKL/MXL");
  EXPECT_EQ(codes("Chianti"), "KNT/KNT");
  EXPECT_EQ(codes("Character"), "KRKTR/KRKTR");
  EXPECT_EQ(codes("Wasserman"), "ASRMN/FSRMN");
  EXPECT_EQ(codes("Jankelowicz"), "JNKLTS/ANKLFX");
  EXPECT_EQ(codes("Accident"), "AKSTNT/AKSTNT");
  EXPECT_EQ(codes("Bacci"), "PX/PX");
  EXPECT_EQ(codes("Laugh"), "LF/LF");
  EXPECT_EQ(codes("Hugh"), "H/H");
  EXPECT_EQ(codes("Agnes"), "AKNS/ANS");
  EXPECT_EQ(codes("Gerald"), "KRLT/JRLT");
  EXPECT_EQ(codes("Cabrillo"), "KPRL/KPR");
  EXPECT_EQ(codes("Rogier"), "RJ/RJR");
  EXPECT_EQ(codes("Breaux"), "PR/PR");
  EXPECT_EQ(codes("Zhao"), "J/J");
  EXPECT_EQ(codes("Edge"), "AJ/AJ");
  EXPECT_EQ(codes("Campbell"), "KMPL/KMPL");
  EXPECT_EQ(codes("Dumb"), "TM/TM");
  EXPECT_EQ(codes("Sugar"), "XKR/SKR");
  EXPECT_EQ(codes("Schooner"), "SKNR/SKNR");
}

TEST(DoubleMetaphone, SmithAndSchmidtShareACode) {
  const PhoneticCodes a = double_metaphone("Smith"), b = double_metaphone("Schmidt");
  EXPECT_EQ(a.alternate, b.primary);
}

TEST(DoubleMetaphone, MaxLength) {
  EXPECT_EQ(codes("Jankelowicz", 4), "JNKL/ANKL");
  EXPECT_EQ(codes("Jankelowicz"), "JNKLTS/ANKLFX");
  EXPECT_EQ(double_metaphone("Alexander").primary, "ALKS");  // default 4, like fuzzystrmatch
}

TEST(DoubleMetaphone, TransliteratesFirst) {
  EXPECT_EQ(codes("Dvořák"), codes("Dvorak"));
  EXPECT_EQ(codes("Müller"), codes("Muller"));
  EXPECT_EQ(codes("José"), "HS/HS");
  EXPECT_EQ(codes("Дмитрий"), codes("Dmitrij"));
  EXPECT_EQ(codes("Ελένη"), "ALN/ALN");
  EXPECT_EQ(codes("Zo\xCC\x88"
                  "e"),
            codes("Zoe"));  // combining mark
  EXPECT_EQ(codes("ＳＭＩＴＨ"), "SM0/XMT");
}

TEST(DoubleMetaphone, WholeStringIsOneWord) {
  EXPECT_EQ(codes("Mary Ann"), "MRN/MRN");
  EXPECT_EQ(codes("O'Brien"), "APRN/APRN");
  EXPECT_EQ(codes("Van Chan"), "FNKN/FNKN");  // the VAN rule sees the space
}

TEST(DoubleMetaphone, EmptyAndOdd) {
  EXPECT_EQ(codes(""), "/");
  EXPECT_EQ(codes("   "), "/");
  EXPECT_EQ(codes("1234 !?"), "/");
  EXPECT_EQ(codes("😀"), "/");
  EXPECT_NO_THROW(double_metaphone(std::string("\xff\x00G\xc3", 4)));
  EXPECT_EQ(codes("X"), "S/S");
  EXPECT_EQ(codes("W"), "/");
  EXPECT_EQ(codes("GH"), "K/K");
}

TEST(DoubleMetaphone, LargeInput) {
  std::string big;
  for (int i = 0; i < 1000; ++i) big += "Schmidt ";  // 8 kB
  big += std::string(2048, 'z');
  EXPECT_EQ(double_metaphone(big).primary, "XMTX");  // one word: the 2nd SCH is X
  EXPECT_GT(double_metaphone(big, 0).primary.size(), 3000u);
}

}  // namespace
}  // namespace dedupe
