#include "core/json_string.hpp"

#include <gtest/gtest.h>

namespace dedupe {
namespace {

std::string quoted(std::string_view s) {
  std::string out;
  append_json_string(out, s);
  return out;
}

TEST(JsonString, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(quoted("plain"), "\"plain\"");
  EXPECT_EQ(quoted("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(quoted("tab\there\nnew\rret"), "\"tab\\there\\nnew\\rret\"");
  EXPECT_EQ(quoted(std::string_view("\x01\x1f", 2)), "\"\\u0001\\u001f\"");
}

TEST(JsonString, PassesUtf8Through) {
  EXPECT_EQ(quoted("Žofie Ελένη"), "\"Žofie Ελένη\"");
  EXPECT_EQ(quoted(""), "\"\"");
}

TEST(JsonString, Appends) {
  std::string out = "[";
  append_json_string(out, "x");
  EXPECT_EQ(out, "[\"x\"");
}

}  // namespace
}  // namespace dedupe
