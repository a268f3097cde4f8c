#include "core/normalize/company.hpp"

#include <gtest/gtest.h>

namespace dedupe {
namespace {

TEST(NormalizeCompany, DoneWhen) {
  EXPECT_EQ(normalize_company("ACME, Inc."), normalize_company("Acme Incorporated"));
  EXPECT_EQ(normalize_company("ACME, Inc."), "acme");
}

TEST(NormalizeCompany, LegalForms) {
  EXPECT_EQ(normalize_company("Acme LLC"), "acme");
  EXPECT_EQ(normalize_company("Acme L.L.C."), "acme");
  EXPECT_EQ(normalize_company("Acme Ltd."), "acme");
  EXPECT_EQ(normalize_company("Acme Limited"), "acme");
  EXPECT_EQ(normalize_company("Acme Corp"), "acme");
  EXPECT_EQ(normalize_company("Acme Corporation"), "acme");
  EXPECT_EQ(normalize_company("Acme Co."), "acme");
  EXPECT_EQ(normalize_company("Acme Company"), "acme");
  EXPECT_EQ(normalize_company("Acme Co., Ltd."), "acme");
  EXPECT_EQ(normalize_company("Müller GmbH"), "muller");
  EXPECT_EQ(normalize_company("Müller GmbH & Co. KG"), "muller");
  EXPECT_EQ(normalize_company("Siemens AG"), "siemens");
  EXPECT_EQ(normalize_company("Société Générale S.A."), "societe generale");
  EXPECT_EQ(normalize_company("Société Générale SA"), "societe generale");
  EXPECT_EQ(normalize_company("Dupont SARL"), "dupont");
  EXPECT_EQ(normalize_company("Dupont S.à r.l."), "dupont");
  EXPECT_EQ(normalize_company("Dupont S.A.S."), "dupont");
  EXPECT_EQ(normalize_company("Philips B.V."), "philips");
  EXPECT_EQ(normalize_company("Philips N.V."), "philips");
  EXPECT_EQ(normalize_company("Koala Pty Ltd"), "koala");
  EXPECT_EQ(normalize_company("Tesco PLC"), "tesco");
  EXPECT_EQ(normalize_company("Fiat S.p.A."), "fiat");
  EXPECT_EQ(normalize_company("Rossi S.r.l."), "rossi");
  EXPECT_EQ(normalize_company("Volvo AB"), "volvo");
  EXPECT_EQ(normalize_company("Nokia Oyj"), "nokia");
  EXPECT_EQ(normalize_company("Maersk A/S"), "maersk");
  EXPECT_EQ(normalize_company("Sony K.K."), "sony");
  EXPECT_EQ(normalize_company("ООО «Ромашка»"), "romaska");
}

TEST(NormalizeCompany, ThePunctuationAndAmpersand) {
  EXPECT_EQ(normalize_company("The Boring Company"), "boring");
  EXPECT_EQ(normalize_company("Johnson & Johnson"), "johnson and johnson");
  EXPECT_EQ(normalize_company("Johnson and Johnson"), "johnson and johnson");
  EXPECT_EQ(normalize_company("Smith & Co."), "smith");  // no dangling "and"
  EXPECT_EQ(normalize_company("McDonald's Corp."), "mcdonalds");
  EXPECT_EQ(normalize_company("Coca-Cola Co"), "coca cola");
  EXPECT_EQ(normalize_company("Theory Inc"), "theory");  // "the" only as a whole token
}

TEST(NormalizeCompany, FormsOnlyAtTheEnd) {
  EXPECT_EQ(normalize_company("Inc Magazine"), "inc magazine");
  EXPECT_EQ(normalize_company("Co-op Bank"), "co op bank");
  EXPECT_EQ(normalize_company("Limited Brands Inc"), "limited brands");
}

TEST(NormalizeCompany, NeverRemovesTheLastToken) {
  EXPECT_EQ(normalize_company("Co"), "co");
  EXPECT_EQ(normalize_company("Co."), "co");
  EXPECT_EQ(normalize_company("The Co"), "co");
  EXPECT_EQ(normalize_company("The"), "the");
  EXPECT_EQ(normalize_company("Limited"), "limited");
}

TEST(NormalizeCompany, EmptyAndLarge) {
  EXPECT_EQ(normalize_company(""), "");
  EXPECT_EQ(normalize_company("   "), "");
  EXPECT_EQ(normalize_company("& & &"), "and and and");
  EXPECT_NO_THROW(normalize_company(std::string("\xff\x00\xc3", 3)));
  std::string big;
  for (int i = 0; i < 1000; ++i) big += "Ltd. S.A ";
  EXPECT_EQ(normalize_company(big), "ltd");
}

}  // namespace
}  // namespace dedupe
