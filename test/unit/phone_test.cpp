#include "core/normalize/phone.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace dedupe {
namespace {

std::string sqlstate_of(std::string_view raw, std::string_view region = "US") {
  try {
    normalize_phone(raw, region);
  } catch (const Error& e) {
    return e.sqlstate();
  }
  return "none";
}

TEST(NormalizePhone, DoneWhen) {
  EXPECT_EQ(normalize_phone("(415) 555-0132"), "+14155550132");
  EXPECT_EQ(normalize_phone("020 7946 0958", "GB"), "+442079460958");
}

TEST(NormalizePhone, FormatsOfSeveralCountries) {
  EXPECT_EQ(normalize_phone("+1 415-555-0132"), "+14155550132");
  EXPECT_EQ(normalize_phone("1-415-555-0132"), "+14155550132");
  EXPECT_EQ(normalize_phone("415.555.0132"), "+14155550132");
  EXPECT_EQ(normalize_phone("011 44 20 7946 0958"), "+442079460958");  // US international prefix
  EXPECT_EQ(normalize_phone("00 44 20 7946 0958", "DE"), "+442079460958");
  EXPECT_EQ(normalize_phone("030 1234567", "de"),
            "+49301234567");  // trunk prefix, lower-case region
  EXPECT_EQ(normalize_phone("06 12 34 56 78", "FR"), "+33612345678");
  EXPECT_EQ(normalize_phone("+61 2 9876 5432", "US"), "+61298765432");
  EXPECT_EQ(normalize_phone("03-1234-5678", "JP"), "+81312345678");
}

TEST(NormalizePhone, VanityLettersAndExtensions) {
  EXPECT_EQ(normalize_phone("1-800-FLOWERS"), "+18003569377");
  EXPECT_EQ(normalize_phone("(415) 555-0132 ext. 42"), "+14155550132");
  EXPECT_EQ(phone_extension("(415) 555-0132 ext. 42"), "42");
  EXPECT_EQ(phone_extension("(415) 555-0132"), "");
}

TEST(NormalizePhone, ImpossibleNumbersAndUnknownRegions) {
  for (const char* bad : {"", "  ", "12", "hello", "+999 123", "415 555 01329999999"})
    EXPECT_EQ(sqlstate_of(bad), "22P02") << bad;
  EXPECT_EQ(sqlstate_of("020 7946 0958", "XX"), "22023");
  EXPECT_EQ(sqlstate_of("020 7946 0958", ""), "22023");
  EXPECT_EQ(sqlstate_of(std::string(10 * 1024, '5')), "22P02");
}

TEST(NormalizePhone, IsIdempotent) {
  // Found by phone_fuzz: a national zero after the country code.
  const std::string once = normalize_phone("44000114257222", "GB");
  EXPECT_EQ(normalize_phone(once, "US"), once);
  const std::string twice = normalize_phone("002000020000200", "GB");  // two zeros after +20
  EXPECT_EQ(normalize_phone(twice, "US"), twice);
  const std::string many = normalize_phone("004900000(0(0800", "GB");  // six zeros after +49
  EXPECT_EQ(normalize_phone(many, "US"), many);
  EXPECT_EQ(normalize_phone("+39 06 1234 5678", "US"), "+390612345678");  // Italy keeps its zero
}

TEST(NormalizePhone, Facts) {
  EXPECT_TRUE(is_valid_phone("+44 20 7946 0958", "US"));
  EXPECT_FALSE(is_valid_phone("12"));
  EXPECT_FALSE(is_valid_phone("020 7946 0958", "XX"));
  EXPECT_EQ(phone_type("+44 7400 123456"), "mobile");
  EXPECT_EQ(phone_type("+44 20 7946 0958"), "fixed_line");
  EXPECT_EQ(phone_type("1-800-356-9377"), "toll_free");
  EXPECT_EQ(phone_region("+44 20 7946 0958"), "GB");
  EXPECT_TRUE(is_known_region("gb"));
  EXPECT_FALSE(is_known_region("XX"));
  EXPECT_NE(libphonenumber_version(), "");
}

}  // namespace
}  // namespace dedupe
