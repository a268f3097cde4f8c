// Batch pairs under the write path's deterministic rules, Scorer::score / explain, and the
// explanation's JSON.
#include <gtest/gtest.h>

#include <cmath>

#include "core/cluster/blocking.hpp"
#include "core/match/explain.hpp"
#include "core/match/model.hpp"
#include "core/match/record_set.hpp"
#include "core/match/write_path_evidence.hpp"
#include "core/normalize/nicknames.hpp"

namespace dedupe::match {
namespace {

using Raw = std::optional<std::string_view>;

class BatchWritePath : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    set_nickname_table_path(DEDUPE_SOURCE_DIR "/control/data/pg_dedupe_nicknames.csv");
  }
};

const std::vector<Role> kContact = {Role::kExternalId, Role::kEmail, Role::kPhone, Role::kFirstName,
                                    Role::kLastName};

RecordSet contacts(const std::vector<std::vector<Raw>>& rows) {
  RecordSetBuilder builder(kContact);
  int64_t id = 1;
  for (const auto& row : rows) builder.add(id++, row.data());
  return builder.finish([] {});
}

// Fixed weights: exact agreement is strong evidence, 'else' is evidence against.
Model fixed_model(const std::vector<Role>& roles) {
  std::vector<LevelParams> levels;
  for (Role role : roles) {
    const auto& names = comparison_def(role).levels;
    const size_t n = names.size();
    for (size_t level = 1; level < n; ++level) {
      const double m = level == 1 ? 0.9 : 0.1 / static_cast<double>(n - 2);
      const double u = level == n - 1 ? 0.99 : 0.01 / static_cast<double>(n - 2);
      levels.push_back(LevelParams{role_name(role), names[level], m, u});
    }
  }
  return model_from_levels(0.001, levels);
}

TEST_F(BatchWritePath, SameEmailLinksUnlessNamesContradict) {
  RecordSet set = contacts({
      {Raw(), Raw("Jane.Doe@Example.com"), Raw(), Raw("Jane"), Raw("Doe")},       // 0
      {Raw(), Raw(" jane.doe@example.com"), Raw(), Raw("J."), Raw("Doe")},        // 1
      {Raw(), Raw("jane.doe@example.com"), Raw(), Raw("Carlos"), Raw("Mendes")},  // 2
  });
  ASSERT_EQ(shared_identity(set, 0, 1), role_bit(Role::kEmail));
  const WritePathEvidence same = write_path_evidence(set, 0, 1, shared_identity(set, 0, 1));
  EXPECT_EQ(same.kind, EvidenceKind::kLink);
  EXPECT_STREQ(same.rule, "same_email");
  const WritePathEvidence contra = write_path_evidence(set, 0, 2, shared_identity(set, 0, 2));
  EXPECT_EQ(contra.kind, EvidenceKind::kIgnoreKeys);
  EXPECT_STREQ(contra.rule, "same_email_names_contradict");
  EXPECT_EQ(contra.ignored_roles, role_bit(Role::kEmail));
}

TEST_F(BatchWritePath, SharedPhoneNeedsAgreeingNames) {
  RecordSet set = contacts({
      {Raw(), Raw(), Raw("+1 212 555 0100"), Raw("Alice"), Raw("Zhang")},   // 0
      {Raw(), Raw(), Raw("(212) 555-0100"), Raw("Robert"), Raw("Miller")},  // 1
      {Raw(), Raw(), Raw("212.555.0100"), Raw("Bob"), Raw("Miller")},       // 2
      {Raw(), Raw(), Raw("212.555.0100"), Raw("Bob"), Raw("Zhang")},        // 3
  });
  const auto evidence = [&](uint32_t a, uint32_t b) {
    return write_path_evidence(set, a, b, shared_identity(set, a, b));
  };
  EXPECT_EQ(evidence(0, 1).kind, EvidenceKind::kIgnoreKeys);  // a switchboard
  EXPECT_EQ(evidence(0, 1).ignored_roles, role_bit(Role::kPhone));
  EXPECT_EQ(evidence(1, 2).kind, EvidenceKind::kLink);  // Bob = Robert
  EXPECT_STREQ(evidence(1, 2).rule, "same_phone_names_agree");
  // One given name, other surnames: colleagues on a switchboard as often as one person.
  EXPECT_EQ(evidence(2, 3).kind, EvidenceKind::kIgnoreKeys);
  EXPECT_STREQ(evidence(2, 3).rule, "same_phone_names_disagree");
}

TEST_F(BatchWritePath, TwoDatesOfBirthMakeASharedMailboxAHouseholds) {
  RecordSetBuilder builder(
      {Role::kEmail, Role::kPhone, Role::kFirstName, Role::kLastName, Role::kDateOfBirth});
  const std::vector<std::vector<Raw>> rows = {
      {Raw("home@smith.example"), Raw("+1 212 555 0100"), Raw("John"), Raw("Smith"),
       Raw("1961-04-02")},  // 0: the father
      {Raw("home@smith.example"), Raw("+1 212 555 0100"), Raw("John"), Raw("Smith"),
       Raw("1993-11-20")},  // 1: the son
      {Raw("home@smith.example"), Raw(), Raw("John"), Raw("Smith"),
       Raw("1961-02-04")},  // 2: the father, day and month swapped
  };
  int64_t id = 1;
  for (const auto& row : rows) builder.add(id++, row.data());
  const RecordSet set = builder.finish([] {});
  const WritePathEvidence two = write_path_evidence(set, 0, 1, shared_identity(set, 0, 1));
  EXPECT_EQ(two.kind, EvidenceKind::kIgnoreKeys);
  EXPECT_STREQ(two.rule, "shared_by_two_dates_of_birth");
  EXPECT_EQ(two.ignored_roles, role_bit(Role::kEmail) | role_bit(Role::kPhone));
  const WritePathEvidence one = write_path_evidence(set, 0, 2, shared_identity(set, 0, 2));
  EXPECT_EQ(one.kind, EvidenceKind::kLink);
  EXPECT_STREQ(one.rule, "same_email");
}

TEST_F(BatchWritePath, SameExternalIdLinksWhateverTheNames) {
  RecordSet set = contacts({
      {Raw("0031x00000AbCdE"), Raw(), Raw(), Raw("Kim"), Raw("Park")},
      {Raw("0031x00000AbCdE"), Raw(), Raw(), Raw("Zoe"), Raw("Quist")},
      {Raw("0031x00000ABCDE"), Raw(), Raw(), Raw("Kim"), Raw("Park")},
      {Raw("  "), Raw(), Raw(), Raw("Kim"), Raw("Park")},
  });
  const WritePathEvidence same = write_path_evidence(set, 0, 1, shared_identity(set, 0, 1));
  EXPECT_EQ(same.kind, EvidenceKind::kLink);
  EXPECT_STREQ(same.rule, "same_external_id");
  // External ids are compared as written, as the write path compares them (Salesforce ids
  // differ in case only).
  EXPECT_EQ(shared_identity(set, 0, 2), 0u);
  EXPECT_EQ(write_path_evidence(set, 0, 2, 0).kind, EvidenceKind::kNone);
  EXPECT_EQ(set.id(Role::kExternalId, 3), kNull);  // blank is missing
}

TEST_F(BatchWritePath, PhonesAreReadInTheRowsCountry) {
  RecordSetBuilder builder({Role::kPhone, Role::kCountry});
  for (const auto& row : std::vector<std::vector<Raw>>{{Raw("020 7946 0018"), Raw("GB")},
                                                       {Raw("+44 20 7946 0018"), Raw(" gb ")},
                                                       {Raw("020 7946 0018"), Raw()},
                                                       {Raw("020 7946 0018"), Raw("Britain")}}) {
    builder.add(1, row.data());
  }
  const RecordSet set = builder.finish([] {});
  EXPECT_EQ(set.value(Role::kPhone, set.id(Role::kPhone, 0)).text, "+442079460018");
  EXPECT_EQ(set.id(Role::kPhone, 0), set.id(Role::kPhone, 1));
  // No usable country: the run's region (US), where the number is not valid.
  EXPECT_NE(set.id(Role::kPhone, 2), set.id(Role::kPhone, 0));
  EXPECT_EQ(set.id(Role::kPhone, 2), set.id(Role::kPhone, 3));
}

TEST_F(BatchWritePath, ScoreAppliesTheRules) {
  RecordSet set = contacts({
      {Raw(), Raw("ann@x.org"), Raw("+1 212 555 0100"), Raw("Ann"), Raw("Lee")},  // 0
      {Raw(), Raw("ann@x.org"), Raw(), Raw("Ann"), Raw("Lee")},                   // 1
      {Raw(), Raw("bo@y.org"), Raw("+1 212 555 0100"), Raw("Bo"), Raw("Quist")},  // 2
      {Raw(), Raw("cy@z.org"), Raw("+1 303 555 0199"), Raw("Cy"), Raw("Varga")},  // 3
  });
  const Model model = fixed_model(kContact);
  const Scorer scorer(model, set);
  const PairScore link = scorer.score(0, 1);
  EXPECT_TRUE(link.rule_link);
  EXPECT_EQ(link.probability, 1.0);
  EXPECT_STREQ(link.evidence, "same_email");
  EXPECT_DOUBLE_EQ(link.match_weight, scorer.match_weight(0, 1));

  // The shared phone behind different names is left out: the weight is what the pair would
  // weigh with no phone on one side.
  const PairScore household = scorer.score(0, 2);
  EXPECT_FALSE(household.rule_link);
  EXPECT_STREQ(household.evidence, "same_phone_names_contradict");
  EXPECT_LT(household.match_weight, scorer.match_weight(0, 2));
  const PairExplanation e = scorer.explain(0, 2);
  double sum = e.prior_weight - e.dependence_correction;
  for (const ComparisonExplanation& c : e.comparisons) {
    sum += c.weight;
    if (c.role == Role::kPhone) {
      EXPECT_TRUE(c.ignored);
      EXPECT_EQ(c.weight, 0.0);
    }
  }
  EXPECT_NEAR(sum, household.match_weight, 1e-12);
  EXPECT_EQ(e.score.match_weight, household.match_weight);
  EXPECT_EQ(e.score.probability, household.probability);

  const PairScore plain = scorer.score(0, 3);
  EXPECT_EQ(plain.evidence, nullptr);
  EXPECT_EQ(plain.probability, Scorer::probability(plain.match_weight));
}

TEST_F(BatchWritePath, ExplainJson) {
  RecordSet set = contacts({
      {Raw(), Raw("ann@x.org"), Raw(), Raw("Ann"), Raw("Lee")},
      {Raw(), Raw("ann@x.org"), Raw(), Raw("Anne"), Raw("O\"Lee")},
  });
  const Model model = fixed_model(kContact);
  const Scorer scorer(model, set);
  const std::string rule = "email";
  ExplainRequest request;
  request.a = 1;
  request.b = 0;
  request.blocking_rule = &rule;
  const std::string json = explain_json(set, scorer, request);
  EXPECT_NE(json.find("\"id_a\": 2, \"id_b\": 1, \"blocking_rule\": \"email\""), std::string::npos)
      << json;
  EXPECT_NE(json.find("\"value_a\": \"o lee\""), std::string::npos) << json;  // normalized
  EXPECT_NE(json.find("\"role\": \"external_id\", \"value_a\": null, \"value_b\": null, "
                      "\"level\": \"null\", \"m\": null, \"u\": null, \"weight\": 0"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("\"write_path_rule\": \"same_email\", \"write_path_links\": true, "
                      "\"score\": 1, \"threshold\": 0.90000000000000002, \"decision\": \"link\""),
            std::string::npos)
      << json;
}

TEST_F(BatchWritePath, CandidatePairsFindTheirRule) {
  RecordSet set = contacts({
      {Raw(), Raw("ann@x.org"), Raw(), Raw("Ann"), Raw("Lee")},
      {Raw(), Raw("zed@x.org"), Raw(), Raw("Zed"), Raw("Moss")},
      {Raw(), Raw("ann@x.org"), Raw(), Raw("Anne"), Raw("Lee")},
  });
  const cluster::CandidatePairs pairs = cluster::block(set, {"email"}, {}, RunControl{});
  ASSERT_NE(pairs.find(2, 0), nullptr);
  EXPECT_EQ(*pairs.find(0, 2), "email");
  EXPECT_EQ(pairs.find(0, 1), nullptr);
  EXPECT_EQ(pairs.find(1, 2), nullptr);
}

}  // namespace
}  // namespace dedupe::match
