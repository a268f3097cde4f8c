// Double Metaphone after Lawrence Philips' description ("The Double Metaphone Search
// Algorithm", C/C++ Users Journal, June 2000). The word is scanned left to right; each
// consonant cluster appends to a primary and an alternate code, and the cursor advances
// past the letters the cluster consumed. Letters other than A-Z (spaces, digits, anything
// fold() could not transliterate) are skipped but keep their position, so word-start and
// word-end rules look at the whole string exactly as fuzzystrmatch's dmetaphone() does.
#include "core/similarity/double_metaphone.hpp"

#include <initializer_list>

#include "core/normalize/tokens.hpp"
#include "core/no_postgres.hpp"

namespace dedupe {
namespace {

class Encoder {
 public:
  explicit Encoder(std::string word) : length_(static_cast<int>(word.size())) {
    word_ = std::move(word);
    word_.append(kPadding, ' ');  // rules look a few letters past the end
    last_ = length_ - 1;
    slavo_germanic_ = word_.find('W') != std::string::npos ||
                      word_.find('K') != std::string::npos ||
                      word_.find("CZ") != std::string::npos;  // WITZ contains W
  }

  PhoneticCodes run();

 private:
  static constexpr int kPadding = 6;

  char at(int pos) const {
    return pos < 0 || pos >= static_cast<int>(word_.size()) ? '\0' : word_[pos];
  }
  // True if one of the candidates (all of the same length) starts at pos.
  bool matches(int pos, std::initializer_list<const char*> candidates) const {
    if (pos < 0) return false;
    for (const char* c : candidates) {
      const std::string_view cand(c);
      if (static_cast<size_t>(pos) + cand.size() <= word_.size() &&
          word_.compare(pos, cand.size(), cand) == 0)
        return true;
    }
    return false;
  }
  bool vowel(int pos) const {
    switch (at(pos)) {
      case 'A':
      case 'E':
      case 'I':
      case 'O':
      case 'U':
      case 'Y':
        return true;
      default:
        return false;
    }
  }
  bool germanic_start() const { return matches(0, {"VAN ", "VON "}) || matches(0, {"SCH"}); }

  void add(const char* both) { add(both, both); }
  void add(const char* primary, const char* alternate) {
    primary_ += primary;
    alternate_ += alternate;
  }

  int letter_b(int i);
  int letter_c(int i);
  int letter_d(int i);
  int letter_g(int i);
  int letter_h(int i);
  int letter_j(int i);
  int letter_l(int i);
  int letter_m(int i);
  int letter_p(int i);
  int letter_r(int i);
  int letter_s(int i);
  int letter_t(int i);
  int letter_w(int i);
  int letter_x(int i);
  int letter_z(int i);
  // A letter coded as `code` whatever follows; a doubled letter is consumed with it.
  int simple(int i, const char* code) {
    add(code);
    return at(i + 1) == at(i) ? i + 2 : i + 1;
  }

  std::string word_;
  int length_;
  int last_;
  bool slavo_germanic_;
  std::string primary_, alternate_;
};

PhoneticCodes Encoder::run() {
  int i = 0;
  // Silent first letters: GNome, KNight, PNeumatic, WRite, PSychology.
  if (matches(0, {"GN", "KN", "PN", "WR", "PS"})) i = 1;
  // An initial X sounds like S (Xavier).
  if (at(0) == 'X') {
    add("S");
    i = 1;
  }
  while (i < length_) {
    switch (at(i)) {
      case 'A':
      case 'E':
      case 'I':
      case 'O':
      case 'U':
      case 'Y':
        if (i == 0) add("A");  // only a leading vowel is coded
        i += 1;
        break;
      case 'B':
        i = letter_b(i);
        break;
      case 'C':
        i = letter_c(i);
        break;
      case 'D':
        i = letter_d(i);
        break;
      case 'F':
        i = simple(i, "F");
        break;
      case 'G':
        i = letter_g(i);
        break;
      case 'H':
        i = letter_h(i);
        break;
      case 'J':
        i = letter_j(i);
        break;
      case 'K':
        i = simple(i, "K");
        break;
      case 'L':
        i = letter_l(i);
        break;
      case 'M':
        i = letter_m(i);
        break;
      case 'N':
        i = simple(i, "N");
        break;
      case 'P':
        i = letter_p(i);
        break;
      case 'Q':
        i = simple(i, "K");
        break;
      case 'R':
        i = letter_r(i);
        break;
      case 'S':
        i = letter_s(i);
        break;
      case 'T':
        i = letter_t(i);
        break;
      case 'V':
        i = simple(i, "F");
        break;
      case 'W':
        i = letter_w(i);
        break;
      case 'X':
        i = letter_x(i);
        break;
      case 'Z':
        i = letter_z(i);
        break;
      default:
        i += 1;
        break;
    }
  }
  return {primary_, alternate_};
}

int Encoder::letter_b(int i) {
  add("P");  // a final MB is handled under M
  return at(i + 1) == 'B' ? i + 2 : i + 1;
}

int Encoder::letter_c(int i) {
  // Germanic ACH as in Bacher, Macher: K, but not in Bachi or Bache.
  if (i > 1 && !vowel(i - 2) && matches(i - 1, {"ACH"}) && at(i + 2) != 'I' &&
      (at(i + 2) != 'E' || matches(i - 2, {"BACHER", "MACHER"}))) {
    add("K");
    return i + 2;
  }
  if (i == 0 && matches(i, {"CAESAR"})) {
    add("S");
    return i + 2;
  }
  if (matches(i, {"CHIA"})) {  // Italian: Chianti
    add("K");
    return i + 2;
  }
  if (matches(i, {"CH"})) {
    if (i > 0 && matches(i, {"CHAE"})) {  // Michael
      add("K", "X");
      return i + 2;
    }
    // Greek roots at the start: Character, Charisma, Chorus, Chemistry (not Chore).
    if (i == 0 &&
        (matches(i + 1, {"HARAC", "HARIS"}) || matches(i + 1, {"HOR", "HYM", "HIA", "HEM"})) &&
        !matches(0, {"CHORE"})) {
      add("K");
      return i + 2;
    }
    // Germanic and Greek CH sounds K: Van Chan, Schmidt's SCH, orchestra, architect, orchid,
    // before T or S (Christ? no: Wachtler), or after a vowel before a consonant.
    if (germanic_start() || matches(i - 2, {"ORCHES", "ARCHIT", "ORCHID"}) ||
        matches(i + 2, {"T", "S"}) ||
        ((matches(i - 1, {"A", "O", "U", "E"}) || i == 0) &&
         matches(i + 2, {"L", "R", "N", "M", "B", "H", "F", "V", "W", " "}))) {
      add("K");
    } else if (i > 0) {
      if (matches(0, {"MC"}))
        add("K");  // McHugh
      else
        add("X", "K");
    } else {
      add("X");
    }
    return i + 2;
  }
  if (matches(i, {"CZ"}) && !matches(i - 2, {"WICZ"})) {  // Czerny
    add("S", "X");
    return i + 2;
  }
  if (matches(i + 1, {"CIA"})) {  // Focaccia
    add("X");
    return i + 3;
  }
  if (matches(i, {"CC"}) && !(i == 1 && at(0) == 'M')) {  // not McClellan
    if (matches(i + 2, {"I", "E", "H"}) && !matches(i + 2, {"HU"})) {
      // Accident, Accede, Succeed: KS; Bacci, Bertucci: X.
      if ((i == 1 && at(i - 1) == 'A') || matches(i - 1, {"UCCEE", "UCCES"}))
        add("KS");
      else
        add("X");
      return i + 3;
    }
    add("K");  // Pierce's rule: Accord
    return i + 2;
  }
  if (matches(i, {"CK", "CG", "CQ"})) {
    add("K");
    return i + 2;
  }
  if (matches(i, {"CI", "CE", "CY"})) {
    if (matches(i, {"CIO", "CIE", "CIA"}))  // Italian and Armenian
      add("S", "X");
    else
      add("S");
    return i + 2;
  }
  add("K");
  if (matches(i + 1, {" C", " Q", " G"})) return i + 3;  // Mac Caffrey, Mac Gregor
  if (matches(i + 1, {"C", "K", "Q"}) && !matches(i + 1, {"CE", "CI"})) return i + 2;
  return i + 1;
}

int Encoder::letter_d(int i) {
  if (matches(i, {"DG"})) {
    if (matches(i + 2, {"I", "E", "Y"})) {  // Edge
      add("J");
      return i + 3;
    }
    add("TK");  // Edgar
    return i + 2;
  }
  add("T");
  return matches(i, {"DT", "DD"}) ? i + 2 : i + 1;
}

int Encoder::letter_g(int i) {
  if (at(i + 1) == 'H') {
    if (i > 0 && !vowel(i - 1)) {
      add("K");
      return i + 2;
    }
    if (i == 0) {  // Ghislane: J; Ghana: K
      add(at(i + 2) == 'I' ? "J" : "K");
      return i + 2;
    }
    // Parker's rule: GH is silent after B, H or D two or three letters back (Hugh,
    // bough), or after B or H four letters back (broughton).
    if ((i > 1 && matches(i - 2, {"B", "H", "D"})) || (i > 2 && matches(i - 3, {"B", "H", "D"})) ||
        (i > 3 && matches(i - 4, {"B", "H"})))
      return i + 2;
    if (i > 2 && at(i - 1) == 'U' && matches(i - 3, {"C", "G", "L", "R", "T"}))
      add("F");  // laugh, cough, tough
    else if (i > 0 && at(i - 1) != 'I')
      add("K");
    return i + 2;
  }
  if (at(i + 1) == 'N') {
    if (i == 1 && vowel(0) && !slavo_germanic_)
      add("KN", "N");  // Agnes
    else if (!matches(i + 2, {"EY"}) && !slavo_germanic_)
      add("N", "KN");  // Signore; not Cagney
    else
      add("KN");
    return i + 2;
  }
  if (matches(i + 1, {"LI"}) && !slavo_germanic_) {  // Tagliaro
    add("KL", "L");
    return i + 2;
  }
  // Initial GE, GI, GY and friends: Gerald, Gibson.
  if (i == 0 && (at(i + 1) == 'Y' || matches(i + 1, {"ES", "EP", "EB", "EL", "EY", "IB", "IL", "IN",
                                                     "IE", "EI", "ER"}))) {
    add("K", "J");
    return i + 2;
  }
  // -GER- and -GY-, but not Danger, Ranger, Manger, nor after E or I, nor RGY/OGY.
  if ((matches(i + 1, {"ER"}) || at(i + 1) == 'Y') && !matches(0, {"DANGER", "RANGER", "MANGER"}) &&
      !matches(i - 1, {"E", "I"}) && !matches(i - 1, {"RGY", "OGY"})) {
    add("K", "J");
    return i + 2;
  }
  // Italian and soft G: Biaggi, George.
  if (matches(i + 1, {"E", "I", "Y"}) || matches(i - 1, {"AGGI", "OGGI"})) {
    if (germanic_start() || matches(i + 1, {"ET"}))
      add("K");
    else if (matches(i + 1, {"IER "}))
      add("J");
    else
      add("J", "K");
    return i + 2;
  }
  add("K");
  return at(i + 1) == 'G' ? i + 2 : i + 1;
}

int Encoder::letter_h(int i) {
  // Only an H before a vowel, at the start or after a vowel, is sounded.
  if ((i == 0 || vowel(i - 1)) && vowel(i + 1)) {
    add("H");
    return i + 2;
  }
  return i + 1;
}

int Encoder::letter_j(int i) {
  if (matches(i, {"JOSE"}) || matches(0, {"SAN "})) {  // Spanish: Jose, San Jacinto
    if ((i == 0 && at(i + 4) == ' ') || matches(0, {"SAN "}))
      add("H");
    else
      add("J", "H");
    return i + 1;
  }
  if (i == 0 && !matches(i, {"JOSE"})) {
    add("J", "A");  // Yankelovich / Jankelowicz
  } else if (vowel(i - 1) && !slavo_germanic_ && (at(i + 1) == 'A' || at(i + 1) == 'O')) {
    add("J", "H");  // Spanish: bajador
  } else if (i == last_) {
    add("J", "");
  } else if (!matches(i + 1, {"L", "T", "K", "S", "N", "M", "B", "Z"}) &&
             !matches(i - 1, {"S", "K", "L"})) {
    add("J");
  }
  return at(i + 1) == 'J' ? i + 2 : i + 1;
}

int Encoder::letter_l(int i) {
  if (at(i + 1) != 'L') {
    add("L");
    return i + 1;
  }
  // Spanish LL: Cabrillo, Gallegos.
  if ((i == length_ - 3 && matches(i - 1, {"ILLO", "ILLA", "ALLE"})) ||
      ((matches(last_ - 1, {"AS", "OS"}) || matches(last_, {"A", "O"})) &&
       matches(i - 1, {"ALLE"}))) {
    add("L", "");
    return i + 2;
  }
  add("L");
  return i + 2;
}

int Encoder::letter_m(int i) {
  add("M");
  // Thumb, dumber: the B is silent.
  if ((matches(i - 1, {"UMB"}) && (i + 1 == last_ || matches(i + 2, {"ER"}))) || at(i + 1) == 'M')
    return i + 2;
  return i + 1;
}

int Encoder::letter_p(int i) {
  if (at(i + 1) == 'H') {
    add("F");
    return i + 2;
  }
  add("P");  // Campbell, Raspberry: the B after P is swallowed
  return matches(i + 1, {"P", "B"}) ? i + 2 : i + 1;
}

int Encoder::letter_r(int i) {
  // French final -IER (Rogier) is silent, but not -MEIER/-MAIER.
  if (i == last_ && !slavo_germanic_ && matches(i - 2, {"IE"}) && !matches(i - 4, {"ME", "MA"}))
    add("", "R");
  else
    add("R");
  return at(i + 1) == 'R' ? i + 2 : i + 1;
}

int Encoder::letter_s(int i) {
  if (matches(i - 1, {"ISL", "YSL"})) return i + 1;  // Island, Carlysle
  if (i == 0 && matches(i, {"SUGAR"})) {
    add("X", "S");
    return i + 1;
  }
  if (matches(i, {"SH"})) {
    add(matches(i + 1, {"HEIM", "HOEK", "HOLM", "HOLZ"}) ? "S" : "X");  // Germanic: Rosheim
    return i + 2;
  }
  if (matches(i, {"SIO", "SIA"}) || matches(i, {"SIAN"})) {  // Italian, Armenian
    if (!slavo_germanic_)
      add("S", "X");
    else
      add("S");
    return i + 3;
  }
  // German Schmidt ~ Smith, Snider ~ Schneider; SZ in Polish names.
  if ((i == 0 && matches(i + 1, {"M", "N", "L", "W"})) || matches(i + 1, {"Z"})) {
    add("S", "X");
    return matches(i + 1, {"Z"}) ? i + 2 : i + 1;
  }
  if (matches(i, {"SC"})) {
    if (at(i + 2) == 'H') {
      if (matches(i + 3, {"OO", "ER", "EN", "UY", "ED", "EM"})) {  // Dutch: Schoon, Schermer
        if (matches(i + 3, {"ER", "EN"}))
          add("X", "SK");
        else
          add("SK");
        return i + 3;
      }
      if (i == 0 && !vowel(3) && at(3) != 'W')
        add("X", "S");  // Schmidt, Schneider
      else
        add("X");
      return i + 3;
    }
    add(matches(i + 2, {"I", "E", "Y"}) ? "S" : "SK");
    return i + 3;
  }
  if (i == last_ && matches(i - 2, {"AI", "OI"}))
    add("", "S");  // French: Artois
  else
    add("S");
  return matches(i + 1, {"S", "Z"}) ? i + 2 : i + 1;
}

int Encoder::letter_t(int i) {
  if (matches(i, {"TION"})) {
    add("X");
    return i + 3;
  }
  if (matches(i, {"TIA", "TCH"})) {
    add("X");
    return i + 3;
  }
  if (matches(i, {"TH"}) || matches(i, {"TTH"})) {
    // Thomas, Thames and Germanic names keep a T.
    if (matches(i + 2, {"OM", "AM"}) || germanic_start())
      add("T");
    else
      add("0", "T");  // '0' is theta
    return i + 2;
  }
  add("T");
  return matches(i + 1, {"T", "D"}) ? i + 2 : i + 1;
}

int Encoder::letter_w(int i) {
  if (matches(i, {"WR"})) {
    add("R");
    return i + 2;
  }
  if (i == 0 && (vowel(i + 1) || matches(i, {"WH"}))) {
    if (vowel(i + 1))
      add("A", "F");  // Wasserman ~ Vasserman
    else
      add("A");  // Whitney
  }
  // Polish -EWSKI, final W after a vowel (Tsjaikowsky, Arnow): alternate F.
  if ((i == last_ && vowel(i - 1)) || matches(i - 1, {"EWSKI", "EWSKY", "OWSKI", "OWSKY"}) ||
      matches(0, {"SCH"})) {
    add("", "F");
    return i + 1;
  }
  if (matches(i, {"WICZ", "WITZ"})) {  // Polish
    add("TS", "FX");
    return i + 4;
  }
  return i + 1;
}

int Encoder::letter_x(int i) {
  // French final -AUX, -EAUX (Breaux) is silent.
  if (!(i == last_ && (matches(i - 3, {"IAU", "EAU"}) || matches(i - 2, {"AU", "OU"})))) add("KS");
  return matches(i + 1, {"C", "X"}) ? i + 2 : i + 1;
}

int Encoder::letter_z(int i) {
  if (at(i + 1) == 'H') {  // Chinese: Zhao
    add("J");
    return i + 2;
  }
  if (matches(i + 1, {"ZO", "ZI", "ZA"}) || (slavo_germanic_ && i > 0 && at(i - 1) != 'T'))
    add("S", "TS");
  else
    add("S");
  return at(i + 1) == 'Z' ? i + 2 : i + 1;
}

}  // namespace

PhoneticCodes double_metaphone(std::string_view utf8, size_t max_length) {
  // Letters are coded on the folded ASCII form; anything else keeps its place as a blank.
  std::string word = detail::fold_fast(utf8);
  for (char& c : word) {
    if (c >= 'a' && c <= 'z')
      c = static_cast<char>(c - ('a' - 'A'));
    else if (!(c >= 'A' && c <= 'Z'))
      c = c == ' ' ? ' ' : '-';
  }
  PhoneticCodes codes = Encoder(std::move(word)).run();
  if (max_length > 0) {
    if (codes.primary.size() > max_length) codes.primary.resize(max_length);
    if (codes.alternate.size() > max_length) codes.alternate.resize(max_length);
  }
  return codes;
}

}  // namespace dedupe
