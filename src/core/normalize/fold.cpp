#include "core/normalize/fold.hpp"

#include <algorithm>
#include <memory>

#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uversion.h>

#include "core/error.hpp"
#include "core/no_postgres.hpp"

namespace dedupe {
namespace {

// Building a transliterator parses rule tables (milliseconds); build it once per thread
// (a backend is one thread) and keep it for the life of the process.
icu::Transliterator& latin_ascii() {
  thread_local std::unique_ptr<icu::Transliterator> instance = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createInstance(
        "NFKC; Any-Latin; Latin-ASCII", UTRANS_FORWARD, status));
    if (U_FAILURE(status) || !t)
      throw Error(sqlstate::kInternalError, "could not create the ICU transliterator",
                  u_errorName(status));
    return t;
  }();
  return *instance;
}

// ICU's rule-based transliteration slows down more than linearly on very long strings
// (22 s for 1 MB of Cyrillic), so long input goes through in pieces cut at whitespace; a
// piece with no whitespace in kPiece UTF-16 units is cut between code points.
constexpr int32_t kPiece = 4096;

icu::UnicodeString transliterate(const icu::UnicodeString& input) {
  if (input.length() <= kPiece) {
    icu::UnicodeString text(input);
    latin_ascii().transliterate(text);
    return text;
  }
  icu::UnicodeString out;
  for (int32_t start = 0; start < input.length();) {
    int32_t end = std::min(input.length(), start + kPiece);
    if (end < input.length()) {
      int32_t cut = end;
      while (cut > start && !u_isUWhiteSpace(input.char32At(cut))) cut = input.moveIndex32(cut, -1);
      end = cut > start ? cut : input.getChar32Start(end);
      if (end == start) end = input.moveIndex32(start, 1);
    }
    icu::UnicodeString piece(input, start, end - start);
    latin_ascii().transliterate(piece);
    out.append(piece);
    start = end;
  }
  return out;
}

}  // namespace

std::string fold(std::string_view utf8) {
  icu::UnicodeString text = transliterate(icu::UnicodeString::fromUTF8(
      icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size()))));
  text.foldCase();

  icu::UnicodeString collapsed;
  bool pending_space = false;
  for (int32_t i = 0; i < text.length();) {
    UChar32 c = text.char32At(i);
    i += U16_LENGTH(c);
    if (u_isUWhiteSpace(c) || u_iscntrl(c)) {
      pending_space = !collapsed.isEmpty();
      continue;
    }
    if (pending_space) collapsed.append(static_cast<UChar>(' '));
    pending_space = false;
    collapsed.append(c);
  }
  std::string out;
  collapsed.toUTF8String(out);
  return out;
}

std::string icu_version() { return U_ICU_VERSION; }

}  // namespace dedupe
