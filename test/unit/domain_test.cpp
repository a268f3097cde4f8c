#include "core/normalize/domain.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace dedupe {
namespace {

TEST(NormalizeDomain, FromUrlsEmailsAndBareDomains) {
  EXPECT_EQ(normalize_domain("https://www.Example.co.uk/about?x=1#top"), "example.co.uk");
  EXPECT_EQ(normalize_domain("http://user:pw@shop.example.com:8080/"), "shop.example.com");
  EXPECT_EQ(normalize_domain("jane@Acme.COM"), "acme.com");
  EXPECT_EQ(normalize_domain(" acme.com. "), "acme.com");
  EXPECT_EQ(normalize_domain("//cdn.acme.com/x.js"), "cdn.acme.com");
  EXPECT_EQ(normalize_domain("www.com"), "www.com");  // 'www.' is the whole name here
}

TEST(NormalizeDomain, InternationalizedNamesBecomePunycode) {
  EXPECT_EQ(normalize_domain("https://Bücher.de"), "xn--bcher-kva.de");
  EXPECT_EQ(normalize_domain("例え.jp"), "xn--r8jz45g.jp");
  EXPECT_EQ(host_to_ascii("MÜNCHEN.de"), "xn--mnchen-3ya.de");
}

TEST(NormalizeDomain, RejectsWhatIsNotAHostName) {
  for (const char* bad : {"", "   ", "localhost", "http://", "exa mple.com", "a..b.com",
                          "-acme.com", "192.168.0.1", "[::1]", "acme.com:http", "jane@"})
    EXPECT_THROW(normalize_domain(bad), Error) << bad;
  EXPECT_THROW(normalize_domain(std::string(10 * 1024, 'a') + ".com"), Error);
}

TEST(NormalizeDomain, PlainNamesSkipIcuButAgreeWithIt) {
  const std::string l63(63, 'a'), l64(64, 'a');
  EXPECT_EQ(host_to_ascii("A-B.Example.COM"), "a-b.example.com");
  EXPECT_EQ(host_to_ascii(l63 + ".com"), l63 + ".com");
  EXPECT_EQ(host_to_ascii("XN--BCHER-KVA.de"), "xn--bcher-kva.de");  // checked by ICU
  EXPECT_EQ(host_to_ascii("example.com."), "example.com.");          // the root dot, as ICU
  for (const std::string& bad :
       {l64 + ".com", std::string("ab--cd.com"), std::string("-a.com"), std::string("a-.com"),
        std::string("a..com"), std::string(".a.com"), std::string("xn--zz.com"),
        std::string("a_b.com")})
    EXPECT_THROW(host_to_ascii(bad), Error) << bad;
}

TEST(NormalizeDomain, Idna2008DisallowedSymbolsAreRefused) {
  for (const char* bad : {"©.com", "xn--gba.com", "☃.net", "i❤.ws", "😀.com", "€uro.com"})
    EXPECT_THROW(host_to_ascii(bad), Error) << bad;
  EXPECT_EQ(host_to_ascii("ｅｘａｍｐｌｅ．com"), "example.com");  // UTS #46 mapping
  EXPECT_EQ(host_to_ascii("straße.de"), "xn--strae-oqa.de");       // nontransitional
}

}  // namespace
}  // namespace dedupe
