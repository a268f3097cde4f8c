#include "core/similarity/fuzzy_query_text.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace dedupe::fuzzy {
namespace {

std::string sqlstate_of(void (*f)()) {
  try {
    f();
  } catch (const Error& e) {
    return e.sqlstate();
  }
  return "none";
}

TEST(FuzzyQueryText, ParsesAndFolds) {
  const EditQueryText e = parse_edit_query("2:  José   NÚÑEZ ");
  EXPECT_EQ(e.max_distance, 2);
  EXPECT_EQ(e.folded, "jose nunez");
  EXPECT_EQ(format_edit_query(e.max_distance, e.folded), "2:jose nunez");
  EXPECT_EQ(parse_edit_query("0:").folded, "");
  EXPECT_EQ(parse_edit_query("1:a:b").folded, "a:b");  // only the first colon separates
  const SimilarityQueryText s = parse_similarity_query("0.45:Jon Smyth");
  EXPECT_FLOAT_EQ(s.threshold, 0.45f);
  EXPECT_EQ(format_similarity_query(s.threshold, s.folded), "0.45:jon smyth");
  EXPECT_FLOAT_EQ(parse_similarity_query("1:x").threshold, 1.0f);
}

TEST(FuzzyQueryText, RoundTrips) {
  for (const char* text : {"3:jon smith", "0:", "1000000:x", "12:a:b:c"}) {
    const EditQueryText e = parse_edit_query(text);
    EXPECT_EQ(format_edit_query(e.max_distance, e.folded), text);
  }
  for (const char* text : {"0.5:jon smith", "0:", "1:x", "0.333:ab"}) {
    const SimilarityQueryText s = parse_similarity_query(text);
    EXPECT_EQ(format_similarity_query(s.threshold, s.folded), text);
  }
}

TEST(FuzzyQueryText, Errors) {
  EXPECT_EQ(sqlstate_of([] { parse_edit_query("jon"); }), "22P02");
  EXPECT_EQ(sqlstate_of([] { parse_edit_query(":jon"); }), "22P02");
  EXPECT_EQ(sqlstate_of([] { parse_edit_query("two:jon"); }), "22P02");
  EXPECT_EQ(sqlstate_of([] { parse_edit_query(" 2:jon"); }), "22P02");
  EXPECT_EQ(sqlstate_of([] { parse_edit_query("99999999999999999999:jon"); }), "22P02");
  EXPECT_EQ(sqlstate_of([] { parse_edit_query("-1:jon"); }), "22023");
  EXPECT_EQ(sqlstate_of([] { parse_edit_query("1000001:jon"); }), "22023");
  EXPECT_EQ(sqlstate_of([] { parse_similarity_query("1.5:jon"); }), "22023");
  EXPECT_EQ(sqlstate_of([] { parse_similarity_query("nan:jon"); }), "22023");
  EXPECT_EQ(sqlstate_of([] { parse_similarity_query("0.5x:jon"); }), "22P02");
  EXPECT_EQ(sqlstate_of([] { checked_max_distance(-3); }), "22023");
  EXPECT_EQ(sqlstate_of([] { checked_threshold(-0.1); }), "22023");
}

}  // namespace
}  // namespace dedupe::fuzzy
