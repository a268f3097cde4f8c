#include "core/similarity/fuzzy_query_text.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "core/error.hpp"
#include "core/similarity/fuzzy_keys.hpp"
#include "core/no_postgres.hpp"

namespace dedupe::fuzzy {
namespace {

struct Split {
  std::string number;
  std::string_view query;
};

Split split(std::string_view literal, const char* type_name, const char* example) {
  const size_t colon = literal.find(':');
  if (colon == std::string_view::npos || colon == 0)
    throw Error(sqlstate::kInvalidTextRepresentation,
                std::string("invalid input syntax for type ") + type_name + ": \"" +
                    std::string(literal) + "\"",
                "expected threshold:text", std::string("for example ") + example);
  return {std::string(literal.substr(0, colon)), literal.substr(colon + 1)};
}

}  // namespace

int checked_max_distance(long k) {
  if (k < 0 || k > kMaxDistance)
    throw Error(sqlstate::kInvalidParameterValue, "max_distance must be between 0 and 1000000",
                "max_distance was " + std::to_string(k));
  return static_cast<int>(k);
}

float checked_threshold(double t) {
  if (!(t >= 0 && t <= 1))
    throw Error(sqlstate::kInvalidParameterValue, "similarity threshold must be between 0 and 1",
                "threshold was " + std::to_string(t));
  return static_cast<float>(t);
}

EditQueryText parse_edit_query(std::string_view literal) {
  const Split s = split(literal, "dedupe.edit_query", "'2:jon smith'");
  char* end = nullptr;
  errno = 0;
  const long k = std::strtol(s.number.c_str(), &end, 10);
  if (errno != 0 || *end != '\0' || s.number.find_first_of(" \t\n") != std::string::npos)
    throw Error(sqlstate::kInvalidTextRepresentation,
                "invalid max_distance in dedupe.edit_query: \"" + std::string(literal) + "\"",
                "the part before the colon must be a whole number", "for example '2:jon smith'");
  return {checked_max_distance(k), fold_for_match(s.query)};
}

SimilarityQueryText parse_similarity_query(std::string_view literal) {
  const Split s = split(literal, "dedupe.similarity_query", "'0.5:jon smith'");
  char* end = nullptr;
  errno = 0;
  const double t = std::strtod(s.number.c_str(), &end);
  if (errno != 0 || *end != '\0' || s.number.find_first_of(" \t\n") != std::string::npos)
    throw Error(sqlstate::kInvalidTextRepresentation,
                "invalid threshold in dedupe.similarity_query: \"" + std::string(literal) + "\"",
                "the part before the colon must be a number between 0 and 1",
                "for example '0.5:jon smith'");
  return {checked_threshold(t), fold_for_match(s.query)};
}

std::string format_edit_query(int max_distance, std::string_view folded) {
  return std::to_string(max_distance) + ":" + std::string(folded);
}

std::string format_similarity_query(float threshold, std::string_view folded) {
  char number[32];
  std::snprintf(number, sizeof number, "%g", static_cast<double>(threshold));
  return std::string(number) + ":" + std::string(folded);
}

}  // namespace dedupe::fuzzy
