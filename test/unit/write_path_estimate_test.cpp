// golden::estimate_model(): the write path's model estimated by batch's EM over the record set
// decide() scores.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "core/error.hpp"
#include "core/golden/decide.hpp"
#include "core/normalize/nicknames.hpp"

namespace dedupe::golden {
namespace {

const char* const kFirst[] = {"alma", "boris", "cyrus", "delia", "egon", "fiona", "greta",
                              "hugo", "ines",  "jonas", "karla", "luis", "mona",  "nils"};
const char* const kLast[] = {"quist", "rourke", "szabo", "tiller", "ulmer", "vance",
                             "weber", "young",  "zhang", "abel",   "bauer", "cohen",
                             "dietz", "engel",  "falk",  "gruber", "hahn"};

// n records as dedupe.records holds them (normalized): every third is the person of the record
// before it again, with the same phone and another mailbox or none.
match::RecordSet records(int n) {
  match::RecordSetBuilder builder = record_builder();
  for (int i = 0; i < n; ++i) {
    const int person = i % 3 == 2 ? i - 1 : i;
    Person p;
    p.first_name = kFirst[person % 14];
    p.last_name = kLast[(person * 7) % 17];
    if (i % 5 != 4)
      p.email = *p.first_name + "." + *p.last_name + std::to_string(i) + "@mail.example";
    p.phone = "+1415555" + std::to_string(1000 + person);
    p.company = person % 2 ? "acme" : "globex";
    add_record(builder, i, p);
  }
  return builder.finish([] {});
}

class EstimateModel : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    set_nickname_table_path(DEDUPE_SOURCE_DIR "/control/data/pg_dedupe_nicknames.csv");
  }
};

TEST_F(EstimateModel, RefusesTooFewRecords) {
  try {
    estimate_model(records(kMinRecordsToEstimate - 1), {});
    FAIL() << "estimated from too few records";
  } catch (const Error& e) {
    EXPECT_STREQ(e.sqlstate(), "55000");
  }
}

TEST_F(EstimateModel, CoversEveryRoleTheWritePathCompares) {
  const match::RecordSet set = records(600);
  const match::Model model = estimate_model(set, {});
  for (match::Role role : write_path_roles())
    EXPECT_NE(model.find(role), nullptr) << match::role_name(role);
  // The write path can score with it (a role without parameters would throw here).
  EXPECT_NO_THROW(match::Scorer(model, set, /*term_frequency=*/false));
  EXPECT_EQ(model.training.rfind("{\"method\": \"em\", \"records\": 600,", 0), 0u)
      << model.training;
}

TEST_F(EstimateModel, RolesWithoutValuesKeepTheColdStartParameters) {
  const match::Model model = estimate_model(records(600), {});
  const match::Model& cold = cold_start_model();
  for (match::Role role :
       {match::Role::kDateOfBirth, match::Role::kPostcode, match::Role::kDomain}) {
    EXPECT_EQ(model.find(role)->m, cold.find(role)->m) << match::role_name(role);
    EXPECT_EQ(model.find(role)->u, cold.find(role)->u) << match::role_name(role);
  }
  EXPECT_NE(model.training.find("\"cold_start_roles\": [\"external_id\", \"date_of_birth\""),
            std::string::npos)
      << model.training;
  // Estimated roles are not the cold-start ones.
  EXPECT_NE(model.find(match::Role::kPhone)->u, cold.find(match::Role::kPhone)->u);
  EXPECT_NE(model.find(match::Role::kFirstName)->m, cold.find(match::Role::kFirstName)->m);
}

TEST_F(EstimateModel, CompanyAndDomainStayOneFact) {
  const match::Model model = estimate_model(records(600), {});
  const match::ComparisonParams* domain = model.find(match::Role::kDomain);
  bool found = false;
  for (const match::Dependence& d : model.dependence)
    if (d.roles == std::vector<match::Role>{match::Role::kCompany, match::Role::kDomain}) {
      found = true;
      EXPECT_DOUBLE_EQ(d.bits,
                       std::log2(domain->m[match::kExactLevel] / domain->u[match::kExactLevel]));
    }
  EXPECT_TRUE(found);
}

TEST_F(EstimateModel, AgreeingPhonesAreEvidence) {
  const match::Model model = estimate_model(records(600), {});
  const match::ComparisonParams* phone = model.find(match::Role::kPhone);
  EXPECT_GT(phone->m[match::kExactLevel], 10 * phone->u[match::kExactLevel]);
}

}  // namespace
}  // namespace dedupe::golden
