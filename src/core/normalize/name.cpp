#include "core/normalize/name.hpp"

#include <string>
#include <unordered_set>

#include "core/normalize/tokens.hpp"
#include "core/no_postgres.hpp"

namespace dedupe {
namespace {

// Titles before a name, compared without dots ("Dr." = "Dr" = "D.R."). English, plus the
// common Romance/German forms CRM data carries. Only dropped from the front.
const std::unordered_set<std::string>& honorifics() {
  static const std::unordered_set<std::string> set = {
      "mr",      "mrs",       "ms",   "miss",  "mx",        "master",     "dr",
      "prof",    "professor", "sir",  "dame",  "lord",      "lady",       "rev",
      "revd",    "reverend",  "fr",   "hon",   "honorable", "honourable", "capt",
      "captain", "col",       "sgt",  "lt",    "herr",      "frau",       "mme",
      "mlle",    "sra",       "srta", "senor", "senora",    "dott"};
  return set;
}

// Generational and professional suffixes. Only dropped from the end. Single letters and
// ambiguous short surnames (Ma, Do) are deliberately absent: they are usually initials or
// real names.
const std::unordered_set<std::string>& suffixes() {
  static const std::unordered_set<std::string> set = {
      "jr",      "jnr", "junior", "sr",  "snr",   "senior", "ii",  "iii", "iv",
      "2nd",     "3rd", "4th",    "phd", "dphil", "md",     "dds", "dmd", "esq",
      "esquire", "cpa", "mba",    "jd",  "rn",    "llm",    "msc", "bsc", "qc",
      "kc",      "obe", "mbe",    "cbe", "kbe",   "frcs",   "facs"};
  return set;
}

}  // namespace

std::string normalize_name(std::string_view utf8) {
  const std::vector<detail::Token> tokens =
      detail::tokenize(detail::fold_fast(utf8), /*amp_is_and=*/false);
  // Titles go from the front and suffixes from the back, but one token always stays:
  // a person whose whole recorded name is "Dr" or "Junior" keeps it.
  size_t begin = 0, end = tokens.size();
  while (end - begin > 1 && honorifics().count(tokens[begin].compact)) ++begin;
  while (end - begin > 1 && suffixes().count(tokens[end - 1].compact)) --end;
  return detail::join_words(tokens, begin, end);
}

}  // namespace dedupe
