// Shared by normalize_name() and normalize_company(): fold() with an ASCII fast path, then a
// split of the folded text into tokens whose punctuation is already decided.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dedupe::detail {

// Exactly fold(utf8), but pure-ASCII input skips ICU (the transliterator is the cost of a
// name normalizer; on ASCII it is the identity, so only case and whitespace remain).
std::string fold_fast(std::string_view utf8);

// One whitespace/comma/hyphen-separated piece of folded text. Apostrophes join
// ("o'brien" -> "obrien"), dots split words inside it ("j.r.r." -> j r r) but are ignored
// by `compact`, so "ph.d." and "phd" compare equal when matching titles and legal forms.
struct Token {
  std::vector<std::string> words;  // never empty
  std::string compact;             // the words concatenated
};

// Letters and digits (ASCII, or any Unicode letter/digit fold() could not transliterate)
// form words; '&' becomes its own token "and" when amp_is_and, else a separator; every
// other character separates tokens.
std::vector<Token> tokenize(std::string_view folded, bool amp_is_and);

// The words of tokens[begin, end) joined by single spaces.
std::string join_words(const std::vector<Token>& tokens, size_t begin, size_t end);

}  // namespace dedupe::detail
