// Conformance of normalize_email / is_valid_email with the standards (issue 17): RFC 5321's
// and RFC 5322's grammar and examples (and those of RFC 3696 as corrected by its errata),
// RFC 6531's UTF-8 mailboxes, IDNA2008 / UTS #46 domains, and which free-mail addresses are
// one mailbox. Each case names its group; every group has cases that failed before issue 17.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/normalize/email.hpp"

namespace dedupe {
namespace {

struct Valid {
  const char* group;
  std::string input, normalized;
};

struct Invalid {
  const char* group;
  std::string input;
};

struct Pair {
  const char* group;
  std::string a, b;
};

const std::string k64(64, 'a');

const std::vector<Valid> kValid = {
    // RFC 5322 Appendix A and other plain dot-atoms.
    {"dot-atom", "jdoe@example.org", "jdoe@example.org"},
    {"dot-atom", "mary@x.test", "mary@x.test"},
    {"dot-atom", "john.q.public@example.com", "john.q.public@example.com"},
    {"dot-atom", "boss@nil.test", "boss@nil.test"},
    {"dot-atom", "sysservices@example.net", "sysservices@example.net"},
    {"dot-atom", "simple@example.com", "simple@example.com"},
    {"dot-atom", "very.common@example.com", "very.common@example.com"},
    {"dot-atom", "FirstName.LastName@EasierReading.org", "firstname.lastname@easierreading.org"},
    {"dot-atom", "x@example.com", "x@example.com"},
    {"dot-atom", "long.email-address-with-hyphens@and.subdomains.example.com",
     "long.email-address-with-hyphens@and.subdomains.example.com"},
    {"dot-atom", "user.name+tag+sorting@example.com", "user.name+tag+sorting@example.com"},
    {"dot-atom", "name/surname@example.com", "name/surname@example.com"},
    {"dot-atom", "example@s.example", "example@s.example"},
    {"dot-atom", "mailhost!username@example.org", "mailhost!username@example.org"},
    {"dot-atom", "user%example.com@example.org", "user%example.com@example.org"},
    {"dot-atom", "user-@example.org", "user-@example.org"},
    {"dot-atom", "customer/department=shipping@example.com",
     "customer/department=shipping@example.com"},
    {"dot-atom", "$A12345@example.com", "$a12345@example.com"},
    {"dot-atom", "!def!xyz%abc@example.com", "!def!xyz%abc@example.com"},
    {"dot-atom", "_somename@example.com", "_somename@example.com"},
    {"dot-atom", "a!#$%&'*+-/=?^_`{|}~b@example.com", "a!#$%&'*+-/=?^_`{|}~b@example.com"},
    {"dot-atom", "{tag}@example.com", "{tag}@example.com"},
    {"dot-atom", "1234567890@example.com", "1234567890@example.com"},
    {"dot-atom", k64 + "@example.com", k64 + "@example.com"},
    {"dot-atom", "  Jane.Doe@Example.COM\t", "jane.doe@example.com"},
    {"dot-atom", "jane@sub-domain.example.co", "jane@sub-domain.example.co"},
    {"dot-atom", "jane@a1.b2.io", "jane@a1.b2.io"},
    // RFC 5321 4.1.2 / RFC 5322 3.4.1 quoted local parts.
    {"quoted", "\"john smith\"@example.com", "\"john smith\"@example.com"},
    {"quoted", "\"John Smith\"@Example.com", "\"john smith\"@example.com"},
    {"quoted", "\"Abc@def\"@example.com", "\"abc@def\"@example.com"},
    {"quoted", "\"Fred Bloggs\"@example.com", "\"fred bloggs\"@example.com"},
    {"quoted", "\"Joe\\\\Blow\"@example.com", "\"joe\\\\blow\"@example.com"},
    {"quoted", "\"Abc\\@def\"@example.com", "\"abc@def\"@example.com"},
    {"quoted", "\"Fred\\ Bloggs\"@example.com", "\"fred bloggs\"@example.com"},
    {"quoted", "\" \"@example.org", "\" \"@example.org"},
    {"quoted", "\"john..doe\"@example.org", "\"john..doe\"@example.org"},
    {"quoted", "\"very.(),:;<>[]\\\".VERY.\\\"very@\\\\ \\\"very\\\".unusual\"@strange.example.com",
     "\"very.(),:;<>[]\\\".very.\\\"very@\\\\ \\\"very\\\".unusual\"@strange.example.com"},
    {"quoted", "\"jane\"@example.com", "jane@example.com"},
    {"quoted", "\"jane.doe\"@example.com", "jane.doe@example.com"},
    {"quoted", "\"a\\b\"@example.com", "ab@example.com"},
    {"quoted", "\".jane\"@example.com", "\".jane\"@example.com"},
    {"quoted", "\"jane.\"@example.com", "\"jane.\"@example.com"},
    {"quoted", "\"\"@example.com", "\"\"@example.com"},
    {"quoted", "\"@\"@example.com", "\"@\"@example.com"},
    {"quoted", "\"\\\"\"@example.com", "\"\\\"\"@example.com"},
    {"quoted", "\"a,b\"@example.com", "\"a,b\"@example.com"},
    {"quoted", "\"<jane>\"@example.com", "\"<jane>\"@example.com"},
    {"quoted", "\"jane(comment)\"@example.com", "\"jane(comment)\"@example.com"},
    {"quoted", "\"jane@acme\"@example.com", "\"jane@acme\"@example.com"},
    {"quoted", "\"jane smith\"@gmail.com", "\"jane smith\"@gmail.com"},
    {"quoted", "\"j.doe+news\"@gmail.com", "jdoe@gmail.com"},
    {"quoted", "\"" + std::string(62, 'q') + "\"@example.com",
     std::string(62, 'q') + "@example.com"},
    // RFC 6531 UTF-8 mailboxes, IDN domains in punycode (UTS #46, nontransitional).
    {"idn", "用户@例子.广告", "用户@xn--fsqu00a.xn--4rr70v"},
    {"idn", "δοκιμή@παράδειγμα.δοκιμή", "δοκιμή@xn--hxajbheg2az3al.xn--jxalpdlp"},
    {"idn", "Pelé@example.com", "pelé@example.com"},
    {"idn", "ÉLODIE@exemple.fr", "élodie@exemple.fr"},
    {"idn", "info@Bücher.DE", "info@xn--bcher-kva.de"},
    {"idn", "jane@straße.de", "jane@xn--strae-oqa.de"},
    {"idn", "x@MÜNCHEN.de", "x@xn--mnchen-3ya.de"},
    {"idn", "jane@example.рф", "jane@example.xn--p1ai"},
    {"idn", "иван@пример.рф", "иван@xn--e1afmkfd.xn--p1ai"},
    {"idn", "jane@xn--bcher-kva.de", "jane@xn--bcher-kva.de"},
    {"idn", "jane@XN--BCHER-KVA.DE", "jane@xn--bcher-kva.de"},
    {"idn", "jane@example。com", "jane@example.com"},
    {"idn", "ram\u200Dji@example.com", "ram\u200Dji@example.com"},
    // Full-width forms: ASCII in both parts; a full-width '@' is not the separator.
    {"full-width", "ｊａｎｅ@example.com", "jane@example.com"},
    {"full-width", "jane@ｅｘａｍｐｌｅ.com", "jane@example.com"},
    {"full-width", "ＪＡＮＥ@ＥＸＡＭＰＬＥ．ＣＯＭ", "jane@example.com"},
    {"full-width", "ｊａｎｅ．ｄｏｅ＋ｎｅｗｓ@gmail.com", "janedoe@gmail.com"},
    {"full-width", "jane１@example.com", "jane1@example.com"},
    // Gmail ignores every dot, runs of them included.
    {"gmail-dots", "john..doe@gmail.com", "johndoe@gmail.com"},
    {"gmail-dots", "j...ohn@gmail.com", "john@gmail.com"},
    {"gmail-dots", "john..doe@googlemail.com", "johndoe@gmail.com"},
    {"gmail-dots", "j.o..h.n+x@gmail.com", "john@gmail.com"},
    {"gmail-dots", "JOHN..DOE@GMAIL.COM", "johndoe@gmail.com"},
    {"gmail-dots", "a.....b@gmail.com", "ab@gmail.com"},
    {"gmail-dots", "john..doe+a..b@gmail.com", "johndoe@gmail.com"},
    // Provider aliases and tags.
    {"providers", " John.Doe+news@GoogleMail.com ", "johndoe@gmail.com"},
    {"providers", "jane+x@outlook.com", "jane@outlook.com"},
    {"providers", "jane.roe+crm@hotmail.co.uk", "jane.roe@hotmail.co.uk"},
    {"providers", "jane@me.com", "jane@icloud.com"},
    {"providers", "jane+shop@mac.com", "jane@icloud.com"},
    {"providers", "jane@protonmail.com", "jane@proton.me"},
    {"providers", "jane+x@pm.me", "jane@proton.me"},
    {"providers", "jane@protonmail.ch", "jane@proton.me"},
    {"providers", "ivan.ivanov@ya.ru", "ivan-ivanov@yandex.ru"},
    {"providers", "ivan+shop@yandex.com", "ivan@yandex.ru"},
    {"providers", "ivan@yandex.by", "ivan@yandex.ru"},
    {"providers", "ivan@yandex.kz", "ivan@yandex.ru"},
    {"providers", "ivan@yandex.ua", "ivan@yandex.ru"},
    {"providers", "jane-shopping@yahoo.com", "jane@yahoo.com"},
    {"providers", "jane+crm@acme.com", "jane+crm@acme.com"},
    {"providers", "ivan.petrov+x@mail.ru", "ivan.petrov+x@mail.ru"},
    {"providers", "+tag@gmail.com", "+tag@gmail.com"},
};

const std::vector<Invalid> kInvalid = {
    // RFC 5322 grammar, RFC 3696 (with errata 246: escapes only inside quotes).
    {"syntax", "abc.example.com"},
    {"syntax", "a@b@c@example.com"},
    {"syntax", "a\"b(c)d,e:f;g<h>i[j\\k]l@example.com"},
    {"syntax", "just\"not\"right@example.com"},
    {"syntax", "this is\"not\\allowed@example.com"},
    {"syntax", "this\\ still\\\"not\\\\allowed@example.com"},
    {"syntax", "Abc\\@def@example.com"},
    {"syntax", "Fred\\ Bloggs@example.com"},
    {"syntax", "Joe.\\\\Blow@example.com"},
    {"syntax", k64 + "b@example.com"},
    {"syntax", "\"" + std::string(63, 'q') + "\"@example.com"},
    {"syntax", "i.like.underscores@but_they_are_not_allowed_in_this_part"},
    {"syntax", "john.doe@example..com"},
    {"syntax", "john@-example.com"},
    {"syntax", "john@example-.com"},
    {"syntax", "john@ab--cd.com"},
    {"syntax", "john@[192.168.0.1]"},
    {"syntax", "john@[IPv6:2001:db8::1]"},
    {"syntax", "john(comment)@example.com"},
    {"syntax", "john@example.com (Joe)"},
    {"syntax", "Joe <john@example.com>"},
    {"syntax", "<john@example.com>"},
    {"syntax", "\"unterminated@example.com"},
    {"syntax", "\"a\"b@example.com"},
    {"syntax", "\"a\"\"b\"@example.com"},
    {"syntax", "a\"b\"@example.com"},
    {"syntax", "\"a\\\"@example.com"},
    {"syntax", "\"tab\there\"@example.com"},
    {"syntax", "\"new\nline\"@example.com"},
    {"syntax", "\"a\"@"},
    {"syntax", "\"a\""},
    {"syntax", ".john@example.com"},
    {"syntax", "john.@example.com"},
    {"syntax", "jo..hn@example.com"},
    {"syntax", "john..doe@outlook.com"},
    {"syntax", "john..doe@ya.ru"},
    {"syntax", "john@"},
    {"syntax", "@example.com"},
    {"syntax", "@"},
    {"syntax", ""},
    {"syntax", "john@localhost"},
    {"syntax", "john@example"},
    {"syntax", "john@.example.com"},
    {"syntax", "john@example.com."},
    {"syntax", "john@" + std::string(64, 'l') + ".com"},
    {"syntax", "j@" + std::string(60, 'a') + "." + std::string(60, 'b') + "." +
                   std::string(60, 'c') + "." + std::string(60, 'd') + "." + std::string(60, 'e') +
                   ".com"},
    {"syntax", "jane@exa mple.com"},
    {"syntax", "jo hn@example.com"},
    {"syntax", "john@ex@mple.com"},
    {"syntax", "jo\x01hn@example.com"},
    {"syntax", "jo\x7Fhn@example.com"},
    {"syntax", "jo\xFFhn@example.com"},
    {"syntax", "jo\xC3hn@example.com"},
    {"syntax", "jo\xED\xA0\x80hn@example.com"},
    {"syntax", "john@exam\xFFple.com"},
    {"syntax", "john;doe@example.com"},
    {"syntax", "john,doe@example.com"},
    {"syntax", "john:doe@example.com"},
    {"syntax", "[john]@example.com"},
    {"syntax", ".@gmail.com"},
    {"syntax", "\"...\"@gmail.com"},
    {"syntax", "\"a\\\xC3\xA9\"@example.com"},
    {"syntax", "user@example.com@"},
    // No top-level domain has one letter; numeric ones are IP addresses.
    {"one-letter-tld", "a@b.c"},
    {"one-letter-tld", "jane@example.c"},
    {"one-letter-tld", "jane@mail.example.x"},
    {"one-letter-tld", "jane@x.y.z"},
    {"one-letter-tld", "jane@example.Q"},
    {"one-letter-tld", "jane@bücher.d"},
    {"one-letter-tld", "jane@example.ｃ"},
    {"one-letter-tld", "jane@192.168.0.1"},
    {"one-letter-tld", "jane@example.123"},
    // Symbols IDNA2008 disallows (UTS #46 alone would punycode them).
    {"idna2008", "jane@©.com"},
    {"idna2008", "jane@exa©mple.com"},
    {"idna2008", "jane@☃.net"},
    {"idna2008", "jane@i❤.ws"},
    {"idna2008", "jane@😀.com"},
    {"idna2008", "jane@a♥b.com"},
    {"idna2008", "jane@⌘.ws"},
    {"idna2008", "jane@√.com"},
    {"idna2008", "jane@€uro.com"},
    {"idna2008", "jane@example.com♥"},
    {"idna2008", "jane@xn--gba.com"},
    {"idna2008", "jane@xn--n3h.net"},
    {"idna2008", "jane@✈.aero"},
    // Unicode spaces and invisible characters in the local part.
    {"unicode-space", "jane\u00A0doe@example.com"},
    {"unicode-space", "\u00A0jane@example.com"},
    {"unicode-space", "jane\u00A0@example.com"},
    {"unicode-space", "ja\u2007ne@example.com"},
    {"unicode-space", "ja\u202Fne@example.com"},
    {"unicode-space", "ja\u3000ne@example.com"},
    {"unicode-space", "ja\u2003ne@example.com"},
    {"unicode-space", "ja\u2028ne@example.com"},
    {"unicode-space", "ja\u200Bne@example.com"},
    {"unicode-space", "ja\uFEFFne@example.com"},
    {"unicode-space", "ja\u00ADne@example.com"},
    {"unicode-space", "ja\u0085ne@example.com"},
    {"unicode-space", "\"jane\u00A0doe\"@example.com"},
    {"unicode-space", "\"jane\u3000doe\"@example.com"},
    {"unicode-space", "jane\u1680@example.com"},
    // Full-width: '＠' does not separate, and ASCII rules hold for what the forms become.
    {"full-width", "jane＠example.com"},
    {"full-width", "ｊａｎｅ＠ｅｘａｍｐｌｅ.com"},
    {"full-width", "ja　ne@example.com"},
    {"full-width", "ｊａ．．ｎｅ@example.com"},
    {"full-width", "ｊａｎｅ＂@example.com"},
    {"full-width", "jane@ｅｘａｍｐｌｅ．ｃ"},
};

// Different spellings of one mailbox.
const std::vector<Pair> kSame = {
    {"quoted", "\"jane\"@example.com", "jane@example.com"},
    {"quoted", "\"Abc\\@def\"@example.com", "\"Abc@def\"@example.com"},
    {"quoted", "\"Fred\\ Bloggs\"@example.com", "\"Fred Bloggs\"@example.com"},
    {"quoted", "\"a\\b\"@example.com", "ab@example.com"},
    {"dot-atom", "JANE@EXAMPLE.COM", "jane@example.com"},
    {"idn", "info@bücher.de", "info@xn--bcher-kva.de"},
    {"idn", "info@BÜCHER.de", "info@bücher.de"},
    {"idn", "jane@example。com", "jane@example.com"},
    {"full-width", "ｊａｎｅ@example.com", "jane@example.com"},
    {"full-width", "jane@ｅｘａｍｐｌｅ．ｃｏｍ", "jane@example.com"},
    {"gmail-dots", "john..doe@gmail.com", "johndoe@gmail.com"},
    {"gmail-dots", "john..doe@gmail.com", "john.doe@gmail.com"},
    {"gmail-dots", "j.o.h.n.d.o.e@googlemail.com", "john...doe@gmail.com"},
    {"providers", "jane@googlemail.com", "jane@gmail.com"},
    {"providers", "jane@me.com", "jane@icloud.com"},
    {"providers", "jane@mac.com", "jane@me.com"},
    {"providers", "jane@protonmail.com", "jane@proton.me"},
    {"providers", "jane@pm.me", "jane@protonmail.ch"},
    {"providers", "ivan@yandex.ru", "ivan@ya.ru"},
    {"providers", "ivan@yandex.com", "ivan@yandex.by"},
    {"providers", "ivan@yandex.kz", "ivan@yandex.ua"},
    {"providers", "ivan.ivanov@yandex.ru", "ivan-ivanov@ya.ru"},
    {"providers", "jane+x@outlook.com", "jane@outlook.com"},
    {"providers", "jane-x@yahoo.com", "jane@yahoo.com"},
    {"providers", "ivan+shop@yandex.ru", "ivan@yandex.ru"},
};

// Different mailboxes that a careless normalizer would merge.
const std::vector<Pair> kDifferent = {
    {"providers", "jane@hotmail.com", "jane@outlook.com"},
    {"providers", "jane@live.com", "jane@outlook.com"},
    {"providers", "jane@msn.com", "jane@hotmail.com"},
    {"providers", "jane@hotmail.com", "jane@hotmail.co.uk"},
    {"providers", "jane@mail.ru", "jane@bk.ru"},
    {"providers", "jane@mail.ru", "jane@list.ru"},
    {"providers", "jane@inbox.ru", "jane@mail.ru"},
    {"providers", "jane@yahoo.com", "jane@ymail.com"},
    {"providers", "jane@gmx.de", "jane@gmx.net"},
    {"providers", "jane@yandex.ru", "jane@rambler.ru"},
    {"providers", "jane+crm@acme.com", "jane@acme.com"},
    {"providers", "jane.doe@outlook.com", "janedoe@outlook.com"},
    {"providers", "jane.doe@acme.com", "janedoe@acme.com"},
    {"quoted", "\"jane doe\"@example.com", "janedoe@example.com"},
    {"quoted", "\"john..doe\"@example.org", "john.doe@example.org"},
    {"one-letter-tld", "jane@example.com", "jane@example.co"},
};

std::string outcome(const std::string& input) {
  try {
    return normalize_email(input);
  } catch (const Error& e) {
    return std::string("error ") + e.sqlstate() + ": " + e.what();
  }
}

TEST(EmailConformance, AtLeast150Cases) {
  EXPECT_GE(kValid.size() + kInvalid.size() + kSame.size() + kDifferent.size(), 150u);
}

TEST(EmailConformance, ValidAddressesNormalize) {
  for (const Valid& c : kValid) {
    EXPECT_EQ(outcome(c.input), c.normalized) << "[" << c.group << "] " << c.input;
    EXPECT_TRUE(is_valid_email(c.input)) << "[" << c.group << "] " << c.input;
    // The normalized form is itself valid and normalizes to itself.
    EXPECT_EQ(outcome(c.normalized), c.normalized) << "[" << c.group << "] " << c.normalized;
  }
}

TEST(EmailConformance, InvalidAddressesAreRefused) {
  for (const Invalid& c : kInvalid) {
    EXPECT_FALSE(is_valid_email(c.input))
        << "[" << c.group << "] " << c.input << " -> " << outcome(c.input);
    EXPECT_EQ(outcome(c.input).substr(0, 11), "error 22P02") << "[" << c.group << "] " << c.input;
  }
}

TEST(EmailConformance, OneMailboxOneForm) {
  for (const Pair& c : kSame)
    EXPECT_EQ(outcome(c.a), outcome(c.b)) << "[" << c.group << "] " << c.a << " / " << c.b;
}

TEST(EmailConformance, DifferentMailboxesStayApart) {
  for (const Pair& c : kDifferent) {
    const std::string a = outcome(c.a), b = outcome(c.b);
    EXPECT_NE(a, b) << "[" << c.group << "] " << c.a << " / " << c.b;
    EXPECT_EQ(a.rfind("error", 0), std::string::npos) << c.a << " -> " << a;
    EXPECT_EQ(b.rfind("error", 0), std::string::npos) << c.b << " -> " << b;
  }
}

}  // namespace
}  // namespace dedupe
