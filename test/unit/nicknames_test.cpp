#include "core/normalize/nicknames.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace dedupe {
namespace {

const char* kShipped = DEDUPE_SOURCE_DIR "/control/data/pg_dedupe_nicknames.csv";

class Nicknames : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { set_nickname_table_path(kShipped); }
};

TEST_F(Nicknames, CommonNicknames) {
  EXPECT_EQ(canonical_first_name("Bob"), "robert");
  EXPECT_EQ(canonical_first_name("Rob"), "robert");
  EXPECT_EQ(canonical_first_name("BOBBY"), "robert");
  EXPECT_EQ(canonical_first_name("Robert"), "robert");
  EXPECT_EQ(canonical_first_name("Liz"), "elizabeth");
  EXPECT_EQ(canonical_first_name("Jimmy"), "james");
  EXPECT_EQ(canonical_first_name("Peggy"), "margaret");
  EXPECT_EQ(canonical_first_name("Dick"), "richard");
}

TEST_F(Nicknames, CanonicalNamesStayUnlessALongerNameClaimsThem) {
  EXPECT_EQ(canonical_first_name("Michael"), "michael");  // 'miguel' lists it; not longer
  EXPECT_EQ(canonical_first_name("William"), "william");
  EXPECT_EQ(canonical_first_name("Tom"), "thomas");  // tom is canonical (tommy) but short
}

TEST_F(Nicknames, ManyToManyIsDeterministic) {
  // 'al' belongs to 14 names; the one with the most nicknames in the table wins.
  EXPECT_EQ(canonical_first_name("al"), "jalen");
  const std::vector<std::string> v = first_name_variants("Al");
  ASSERT_EQ(v.size(), 14u);
  EXPECT_EQ(v.front(), "jalen");
  EXPECT_EQ(v[1], "alan");
  EXPECT_TRUE(std::is_sorted(v.begin() + 1, v.end()));
  EXPECT_EQ(first_name_variants("Bob"),
            (std::vector<std::string>{"robert", "bert", "bob", "bobby"}));
}

TEST_F(Nicknames, NormalizesFirstAndPassesUnknownNamesThrough) {
  EXPECT_EQ(canonical_first_name("  Mr. BOB  "), "robert");
  EXPECT_EQ(canonical_first_name("Žofie"), "zofie");
  EXPECT_EQ(canonical_first_name(""), "");
  EXPECT_EQ(first_name_variants("Žofie"), std::vector<std::string>{"zofie"});
  EXPECT_EQ(first_name_variants(""), std::vector<std::string>{""});
  EXPECT_EQ(canonical_first_name("K.C."), "casey");  // dotted entries are stored normalized
  EXPECT_EQ(canonical_first_name("kc"), "kc");
}

TEST_F(Nicknames, ShippedTableSize) {
  const NicknameTable& t = nickname_table();
  EXPECT_EQ(t.canonical_count(), 1151u);
  EXPECT_EQ(t.nickname_count(), 1384u);
}

TEST(NicknameTable, ParsesCsvWithCrlfAndRejectsGarbage) {
  const NicknameTable t = NicknameTable::from_csv(
      "name1,relationship,name2\r\nrobert,has_nickname,bob\r\nbert,has_nickname,bob\r\n"
      "robert,has_nickname,rob\r\nalbert,has_nickname,al\r\nalan,has_nickname,al");
  EXPECT_EQ(t.canonical("bob"), "robert");  // more nicknames than bert
  EXPECT_EQ(t.canonical("al"), "albert");   // a tie goes to the longer name
  EXPECT_EQ(t.canonical("zed"), "zed");
  EXPECT_THROW(NicknameTable::from_csv("robert;bob\n"), Error);
  EXPECT_THROW(NicknameTable::from_csv("robert,is,bob\n"), Error);
  EXPECT_THROW(NicknameTable::from_file("/nonexistent/nicknames.csv"), Error);
}

}  // namespace
}  // namespace dedupe
