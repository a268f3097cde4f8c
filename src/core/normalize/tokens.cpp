#include "core/normalize/tokens.hpp"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "core/normalize/fold.hpp"
#include "core/no_postgres.hpp"

namespace dedupe::detail {
namespace {

bool is_ascii(std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0x80) return false;
  return true;
}

bool is_apostrophe(unsigned char c) { return c == '\'' || c == '`'; }

}  // namespace

std::string fold_fast(std::string_view utf8) {
  if (!is_ascii(utf8)) return fold(utf8);
  // fold() on ASCII: NFKC, Any-Latin and Latin-ASCII change nothing, case folding is
  // A-Z -> a-z, and white space / control characters collapse to single inner spaces.
  std::string out;
  out.reserve(utf8.size());
  bool pending_space = false;
  for (unsigned char c : utf8) {
    if (c <= 0x20 || c == 0x7f) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c));
  }
  return out;
}

std::vector<Token> tokenize(std::string_view folded, bool amp_is_and) {
  std::vector<Token> tokens;
  std::string word;
  bool in_token = false;
  auto end_word = [&] {
    if (word.empty()) return;
    if (!in_token) tokens.emplace_back();
    in_token = true;
    tokens.back().compact += word;
    tokens.back().words.push_back(std::move(word));
    word.clear();
  };
  auto end_token = [&] {
    end_word();
    in_token = false;
  };

  const int32_t length = static_cast<int32_t>(folded.size());
  for (int32_t i = 0; i < length;) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(folded.data(), i, length, c);
    if (c < 0x80 && c >= 0) {
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')) {
        word.push_back(static_cast<char>(c));
      } else if (is_apostrophe(static_cast<unsigned char>(c))) {
        // joins: o'brien -> obrien
      } else if (c == '.') {
        end_word();
      } else if (c == '&' && amp_is_and) {
        end_token();
        tokens.push_back(Token{{"and"}, "and"});
      } else {
        end_token();
      }
    } else if (c >= 0 && (u_isalpha(c) || u_isdigit(c))) {
      word.append(folded.substr(start, i - start));  // a letter ICU left non-ASCII
    } else if (c == 0x2019 || c == 0x02BC || c == 0x02BB || (U_GET_GC_MASK(c) & U_GC_M_MASK)) {
      // apostrophe-like letters and combining marks fold() left: join like '
    } else {
      end_token();  // other symbols, U+FFFD from invalid bytes
    }
  }
  end_token();
  return tokens;
}

std::string join_words(const std::vector<Token>& tokens, size_t begin, size_t end) {
  std::string out;
  for (size_t t = begin; t < end; ++t)
    for (const std::string& w : tokens[t].words) {
      if (!out.empty()) out.push_back(' ');
      out += w;
    }
  return out;
}

}  // namespace dedupe::detail
