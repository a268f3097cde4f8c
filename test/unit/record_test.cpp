// normalize_record(): the write path's per-row validation, without PostgreSQL.
#include "core/normalize/record.hpp"

#include <gtest/gtest.h>

using dedupe::normalize_record;
using dedupe::RawRecord;

namespace {

RawRecord hubspot_row() {
  RawRecord raw;
  raw.source = "hubspot";
  raw.region = "US";
  return raw;
}

}  // namespace

TEST(NormalizeRecord, NormalizesEveryMappedField) {
  RawRecord raw = hubspot_row();
  raw.external_id = "501";
  raw.email = " Jane.Doe+news@GoogleMail.com ";
  raw.phone = "(415) 555-0132";
  raw.first_name = "Dr. Jane";
  raw.last_name = "Doe-Smith";
  raw.company = "ACME, Inc.";
  const auto rec = normalize_record(raw);
  EXPECT_TRUE(rec.valid) << rec.reason;
  EXPECT_EQ(rec.external_id, "hubspot:501");
  EXPECT_EQ(rec.email, "janedoe@gmail.com");
  EXPECT_EQ(rec.phone, "+14155550132");
  EXPECT_EQ(rec.first_name, "jane");
  EXPECT_EQ(rec.full_name, "jane doe smith");
  EXPECT_EQ(rec.company, "acme");
}

TEST(NormalizeRecord, CountryIsThePhoneRegion) {
  RawRecord raw = hubspot_row();
  raw.phone = "020 7946 0958";
  raw.country = " gb ";
  const auto rec = normalize_record(raw);
  EXPECT_TRUE(rec.valid) << rec.reason;
  EXPECT_EQ(rec.phone, "+442079460958");
  EXPECT_EQ(rec.country, "GB");
}

TEST(NormalizeRecord, NoIdentityIsInvalid) {
  RawRecord raw = hubspot_row();
  raw.first_name = "Nobody";
  raw.email = "   ";  // blank counts as absent
  const auto rec = normalize_record(raw);
  EXPECT_FALSE(rec.valid);
  EXPECT_FALSE(rec.has_identity());
  EXPECT_NE(rec.reason.find("no identity"), std::string::npos) << rec.reason;
}

TEST(NormalizeRecord, InvalidEmailOrPhoneIsInvalidEvenWithAnotherIdentity) {
  RawRecord raw = hubspot_row();
  raw.external_id = "9";
  raw.email = "jane@@example.com";
  raw.phone = "12";
  const auto rec = normalize_record(raw);
  EXPECT_FALSE(rec.valid);
  EXPECT_TRUE(rec.has_identity());
  EXPECT_NE(rec.reason.find("; "), std::string::npos) << "both problems named: " << rec.reason;
}

TEST(NormalizeRecord, BadWebsiteIsDroppedNotFatal) {
  RawRecord raw = hubspot_row();
  raw.email = "a@example.com";
  raw.domain = "://";
  const auto rec = normalize_record(raw);
  EXPECT_TRUE(rec.valid) << rec.reason;
  EXPECT_FALSE(rec.domain.has_value());
}

TEST(NormalizeRecord, NameBlockIsPhoneticSurnameAndCanonicalInitial) {
  RawRecord raw = hubspot_row();
  raw.email = "bob@example.com";
  raw.first_name = "Bob";
  raw.last_name = "Smith";
  EXPECT_EQ(dedupe::name_block(normalize_record(raw)), "SM0:r");  // Bob -> robert
  raw.first_name = "Élodie";
  raw.last_name = "Schmidt";
  EXPECT_EQ(dedupe::name_block(normalize_record(raw)), "XMT:e");  // names are folded first
  raw.first_name.reset();
  EXPECT_EQ(dedupe::name_block(normalize_record(raw)), std::nullopt);
  raw.first_name = "Ann";
  raw.last_name = "   ";
  EXPECT_EQ(dedupe::name_block(normalize_record(raw)), std::nullopt);
}
