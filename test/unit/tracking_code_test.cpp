#include "core/ops/tracking_code.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "core/error.hpp"

namespace dedupe::ops {
namespace {

const std::string kKey(32, 'k');

std::string compact(const std::string& printed) {
  std::string out;
  for (char c : printed)
    if (c != '-') out += c;
  return out;
}

std::string sqlstate_of(const std::string& text) {
  try {
    parse_tracking_code(text);
  } catch (const Error& e) {
    return e.sqlstate();
  }
  return "none";
}

TEST(TrackingCode, ShapeAndDeterminism) {
  const std::string code = derive_tracking_code(kKey, 42, "spring-2027", 0);
  ASSERT_EQ(code.size(), 13u);
  EXPECT_EQ(code[4], '-');
  EXPECT_EQ(code[9], '-');
  EXPECT_EQ(code, derive_tracking_code(kKey, 42, "spring-2027", 0));
  EXPECT_NE(code, derive_tracking_code(kKey, 43, "spring-2027", 0));
  EXPECT_NE(code, derive_tracking_code(kKey, 42, "autumn-2027", 0));
  EXPECT_NE(code, derive_tracking_code(kKey, 42, "spring-2027", 1));
  EXPECT_NE(code, derive_tracking_code(std::string(32, 'K'), 42, "spring-2027", 0));
  EXPECT_TRUE(tracking_check_holds(compact(code)));
  EXPECT_EQ(parse_tracking_code(code), code);
}

TEST(TrackingCode, NoSeparatorAmbiguity) {
  // Golden 1 in campaign "2\nx" must not collide with golden 1, attempt 2, campaign "x".
  EXPECT_NE(derive_tracking_code(kKey, 1, "2\nx", 0), derive_tracking_code(kKey, 1, "x", 2));
}

TEST(TrackingCode, ShortKeyRefused) {
  EXPECT_THROW(derive_tracking_code("short", 1, "c", 0), Error);
}

TEST(TrackingCode, ReadersVariantsAreAccepted) {
  const std::string code = derive_tracking_code(kKey, 7, "c", 0);
  std::string lower;
  for (char c : code) lower += static_cast<char>(tolower(c));
  EXPECT_EQ(parse_tracking_code(lower), code);
  EXPECT_EQ(parse_tracking_code(" " + compact(code) + " "), code);
  // O, I and L are read as 0, 1 and 1.
  const std::string payload = "0000011111";
  const std::string with_check = payload + tracking_check_character(payload);
  EXPECT_EQ(parse_tracking_code("OOOOOIIlLI" + with_check.substr(10)),
            format_tracking_code(with_check));
}

TEST(TrackingCode, EverySingleSubstitutionIsCaught) {
  int codes = 0;
  for (int64_t golden = 1; golden <= 200; ++golden) {
    const std::string code = compact(derive_tracking_code(kKey, golden, "c", 0));
    for (size_t i = 0; i < code.size(); ++i)
      for (char c : kTrackingAlphabet) {
        if (c == code[i]) continue;
        std::string typo = code;
        typo[i] = c;
        ASSERT_FALSE(tracking_check_holds(typo)) << code << " -> " << typo;
      }
    ++codes;
  }
  EXPECT_EQ(codes, 200);
}

TEST(TrackingCode, MostAdjacentTranspositionsAreCaught) {
  int swaps = 0, caught = 0;
  for (int64_t golden = 1; golden <= 500; ++golden) {
    const std::string code = compact(derive_tracking_code(kKey, golden, "c", 0));
    for (size_t i = 0; i + 1 < code.size(); ++i) {
      if (code[i] == code[i + 1]) continue;
      std::string swapped = code;
      std::swap(swapped[i], swapped[i + 1]);
      ++swaps;
      caught += !tracking_check_holds(swapped);
    }
  }
  // The hybrid system misses a transposition only for a few value pairs per position.
  EXPECT_GT(static_cast<double>(caught) / swaps, 0.95) << caught << " of " << swaps;
}

TEST(TrackingCode, RefusesMistypedCodes) {
  const std::string code = derive_tracking_code(kKey, 9, "c", 0);
  std::string typo = code;
  typo[2] = typo[2] == 'A' ? 'B' : 'A';
  EXPECT_EQ(sqlstate_of(typo), "22P02");
  EXPECT_EQ(sqlstate_of(code.substr(0, 12)), "22P02");    // a character missing
  EXPECT_EQ(sqlstate_of(code + "0"), "22P02");            // one too many
  EXPECT_EQ(sqlstate_of("U" + code.substr(1)), "22P02");  // U is not in the alphabet
  EXPECT_EQ(sqlstate_of(""), "22P02");
  EXPECT_EQ(sqlstate_of("----"), "22P02");
  EXPECT_EQ(sqlstate_of("\xc3\xa9" + code.substr(2)), "22P02");
}

std::string message_of(const std::string& text) {
  try {
    parse_tracking_code(text);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

bool valid_utf8(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += n;
  }
  return true;
}

TEST(TrackingCode, ErrorMessagesQuoteInputSafely) {
  // A non-ASCII character is described, not cut into bytes.
  const std::string accent = message_of(
      "\xc3\xa9"
      "6DSE-DS4D-EW6");
  EXPECT_TRUE(valid_utf8(accent)) << accent;
  EXPECT_NE(accent.find("outside printable ASCII"), std::string::npos) << accent;
  // Long input is shortened at a character boundary.
  std::string long_input(39, 'A');
  for (int i = 0; i < 100; ++i) long_input += "\xc3\xa9";
  const std::string m = message_of(long_input);
  EXPECT_TRUE(valid_utf8(m)) << m;
  EXPECT_LT(m.size(), 160u);
  EXPECT_NE(message_of("6DSE-DS4D-EW7").find("\"6DSE-DS4D-EW7\""), std::string::npos);
}

TEST(TrackingCode, CodesSpreadOverTheAlphabet) {
  std::set<std::string> seen;
  for (int64_t golden = 1; golden <= 2000; ++golden)
    seen.insert(derive_tracking_code(kKey, golden, "c", 0));
  EXPECT_EQ(seen.size(), 2000u);  // 50 bits: no collision expected among 2000
}

}  // namespace
}  // namespace dedupe::ops
