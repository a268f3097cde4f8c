#include "core/normalize/email.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/normalize/email_providers.hpp"

namespace dedupe {
namespace {

std::string sqlstate_of(std::string_view raw) {
  try {
    normalize_email(raw);
  } catch (const Error& e) {
    return e.sqlstate();
  }
  return "none";
}

TEST(NormalizeEmail, DoneWhen) {
  EXPECT_EQ(normalize_email(" John.Doe+news@GoogleMail.com "), "johndoe@gmail.com");
}

TEST(NormalizeEmail, ProviderRules) {
  EXPECT_EQ(normalize_email("j.o.h.n@gmail.com"), "john@gmail.com");
  EXPECT_EQ(normalize_email("Jane.Roe+crm@Outlook.com"), "jane.roe@outlook.com");
  EXPECT_EQ(normalize_email("jane+x@hotmail.co.uk"), "jane@hotmail.co.uk");
  EXPECT_EQ(normalize_email("jane+x@icloud.com"), "jane@icloud.com");
  EXPECT_EQ(normalize_email("jane+x@me.com"), "jane@icloud.com");  // one Apple ID
  EXPECT_EQ(normalize_email("jane+x@fastmail.com"), "jane@fastmail.com");
  EXPECT_EQ(normalize_email("jane+x@proton.me"), "jane@proton.me");
  EXPECT_EQ(normalize_email("jane-shopping@yahoo.com"), "jane@yahoo.com");
  // Companies keep tags and dots: we do not know their mail server's rules.
  EXPECT_EQ(normalize_email("Jane.Roe+crm@Acme.com"), "jane.roe+crm@acme.com");
  EXPECT_EQ(normalize_email("jane-roe@acme.com"), "jane-roe@acme.com");
}

TEST(NormalizeEmail, InternationalizedDomainsBecomePunycode) {
  EXPECT_EQ(normalize_email("Info@Bücher.DE"), "info@xn--bcher-kva.de");
  EXPECT_EQ(normalize_email("ÉLODIE@exemple.fr"), "élodie@exemple.fr");
}

TEST(NormalizeEmail, InvalidSyntaxNamesTheProblem) {
  for (const char* bad : {"", "   ", "plainaddress", "a@@b.com", "a@b@c.com", "@example.com",
                          "jane@", "jane@localhost", ".jane@example.com", "ja..ne@example.com",
                          "jane.@example.com", "ja ne@example.com", "jane@exa_mple.com",
                          "jane@-example.com", "+tag@gmail.com.", "..@gmail.com"})
    EXPECT_EQ(sqlstate_of(bad), "22P02") << bad;
  try {
    normalize_email("plainaddress");
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("missing '@'"), std::string::npos) << e.what();
  }
}

TEST(NormalizeEmail, LongInputIsRejectedNotCopiedIntoTheMessage) {
  std::string huge(10 * 1024, 'a');
  huge += "@example.com";
  try {
    normalize_email(huge);
    FAIL() << "accepted a 10 kB address";
  } catch (const Error& e) {
    EXPECT_LT(std::string(e.what()).size(), 200u);
  }
}

TEST(NormalizeEmail, Predicates) {
  EXPECT_TRUE(is_valid_email("a@example.com"));
  EXPECT_FALSE(is_valid_email("a@"));
  EXPECT_FALSE(is_valid_email(std::string(1 << 20, '@')));
  EXPECT_EQ(email_domain("x@GoogleMail.com"), "gmail.com");
  EXPECT_TRUE(is_freemail("x@gmx.de"));
  EXPECT_FALSE(is_freemail("x@acme.com"));
  EXPECT_TRUE(is_role_email("Sales+emea@acme.com"));
  EXPECT_TRUE(is_role_email("noreply@acme.com"));
  EXPECT_FALSE(is_role_email("jane@acme.com"));
  EXPECT_THROW(is_role_email("nope"), Error);
}

TEST(EmailProviderTable, ShippedTableLoads) {
  const email_providers::ProviderTable& t = email_providers::table();
  EXPECT_GE(t.size(), 90u);
  const email_providers::Rules* gm = t.find("googlemail.com");
  ASSERT_NE(gm, nullptr);
  EXPECT_EQ(gm->canonical_domain, "gmail.com");
  EXPECT_EQ(gm->dots, email_providers::Dots::kIgnored);
  EXPECT_EQ(t.find("acme.com"), nullptr);
}

TEST(EmailProviderTable, MalformedLinesAreNamed) {
  using email_providers::ProviderTable;
  const ProviderTable t = ProviderTable::from_csv(
      "# comment\r\ndomain,mailbox_domain,dots,tag,provider\r\nx.example,,hyphen,-,X\r\n");
  ASSERT_NE(t.find("x.example"), nullptr);
  EXPECT_EQ(t.find("x.example")->subaddress_separator, '-');
  for (const char* bad : {"x.example,,kept,+", "X.example,,kept,+,X", "x.example,,sometimes,+,X",
                          "x.example,,kept,*,X", "x.example,y,kept,+,X",
                          "x.example,,kept,+,X\nx.example,,kept,+,X"}) {
    try {
      ProviderTable::from_csv(bad);
      ADD_FAILURE() << "accepted " << bad;
    } catch (const Error& e) {
      EXPECT_STREQ(e.sqlstate(), "22P02");
      EXPECT_NE(e.detail().find("line "), std::string::npos) << e.detail();
    }
  }
  EXPECT_THROW(ProviderTable::from_file("/nonexistent/providers.csv"), Error);
}

}  // namespace
}  // namespace dedupe
