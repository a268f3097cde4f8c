#include "core/normalize/company.hpp"

#include <string>
#include <unordered_set>

#include "core/normalize/tokens.hpp"
#include "core/no_postgres.hpp"

namespace dedupe {
namespace {

// Legal forms, written as their letters with dots, spaces and accents removed, so "S.à r.l.",
// "S.A.R.L." and "SARL" are all "sarl". A form may span several trailing tokens.
const std::unordered_set<std::string>& legal_forms() {
  static const std::unordered_set<std::string> set = {
      // English-speaking jurisdictions
      "inc", "incorporated", "llc", "llp", "lp", "ltd", "limited", "corp", "corporation", "co",
      "company", "plc", "pty", "ptyltd", "ptylimited", "pc", "pllc", "lllp",
      // German-speaking
      "gmbh", "ag", "kg", "ohg", "gbr", "ev", "ug", "gmbhcokg", "gmbhandcokg", "kgaa", "mbh",
      // French, Spanish, Portuguese, Italian
      "sa", "sarl", "sas", "sasu", "eurl", "sca", "snc", "sl", "slu", "srl", "spa", "sapa", "ltda",
      "sadecv", "sderl", "eireli",
      // Dutch, Belgian, Nordic, others
      "bv", "nv", "bvba", "vof", "ab", "oy", "oyj", "as", "asa", "aps", "kk", "gk", "sro", "zrt",
      "kft", "nyrt", "doo", "spzoo", "ooo", "zao", "oao", "pao", "ao", "bhd", "sdnbhd", "pte",
      "pteltd", "pvtltd", "pvt", "tbk", "cokg", "cv"};
  return set;
}

// Legal forms that come first in the name (Russian and Indonesian usage).
const std::unordered_set<std::string>& leading_legal_forms() {
  static const std::unordered_set<std::string> set = {"ooo", "zao", "oao", "pao", "pt"};
  return set;
}

// How many trailing tokens, ending at `end` and not reaching before `begin + 1`, spell a
// legal form when their compact forms are concatenated ("pty" "ltd", "s" "a" "r" "l");
// 0 if none. Multi-token forms only join short tokens, so real words never combine.
size_t trailing_legal_form(const std::vector<detail::Token>& tokens, size_t begin, size_t end) {
  constexpr size_t kMaxParts = 5;
  std::string joined;
  size_t found = 0;
  for (size_t n = 1; n <= kMaxParts && end - n > begin; ++n) {
    const std::string& part = tokens[end - n].compact;
    if (n > 1 && part.size() > 4) break;
    joined.insert(0, part);
    if (legal_forms().count(joined)) found = n;
  }
  return found;
}

}  // namespace

std::string normalize_company(std::string_view utf8) {
  const std::vector<detail::Token> tokens =
      detail::tokenize(detail::fold_fast(utf8), /*amp_is_and=*/true);
  size_t begin = 0, end = tokens.size();
  // Every removal leaves at least one token: a company literally called "Co" or
  // "The Limited" keeps that word.
  if (end - begin > 1 && tokens[begin].compact == "the") ++begin;
  while (end - begin > 1 && leading_legal_forms().count(tokens[begin].compact)) ++begin;
  while (end - begin > 1) {
    const size_t n = trailing_legal_form(tokens, begin, end);
    if (n == 0) break;
    end -= n;
    // "Smith & Co." leaves a dangling "and".
    while (end - begin > 1 && tokens[end - 1].compact == "and") --end;
  }
  return detail::join_words(tokens, begin, end);
}

}  // namespace dedupe
