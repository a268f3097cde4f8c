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

}  // namespace
}  // namespace dedupe
