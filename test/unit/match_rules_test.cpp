#include "core/golden/match_rules.hpp"

#include <gtest/gtest.h>

#include "core/normalize/nicknames.hpp"

namespace dedupe::golden {
namespace {

Person person(const char* first, const char* last, const char* email = nullptr,
              const char* phone = nullptr, const char* id = nullptr) {
  Person p;
  if (first) p.first_name = first;
  if (last) p.last_name = last;
  if (email) p.email = email;
  if (phone) p.phone = phone;
  if (id) p.external_id = id;
  return p;
}

class MatchRules : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    set_nickname_table_path(DEDUPE_SOURCE_DIR "/control/data/pg_dedupe_nicknames.csv");
  }
};

TEST_F(MatchRules, SameEmailLinks) {
  const Decision d = decide(person("jane", "doe", "jane@x.com"),
                            {{7, person("jane", "doe", "jane@x.com", "+14155550132")}});
  EXPECT_EQ(d.action, Action::kLink);
  EXPECT_EQ(d.golden_id, 7);
  EXPECT_EQ(d.rule, "same_email");
}

TEST_F(MatchRules, SameEmailWithSwappedNamesLinks) {
  const Decision d = decide(person("schulz", "anna", "anna@x.de"),
                            {{5, person("anna", "schulz", "anna@x.de")}});
  EXPECT_EQ(d.action, Action::kLink);
  EXPECT_EQ(d.rule, "same_email");
  EXPECT_EQ(compare_names(person("schulz", "anna"), person("anna", "schultz")), Names::kAgree);
  EXPECT_EQ(compare_names(person("bob", "miller"), person("miller", "robert")), Names::kAgree)
      << "a nickname on the swapped side still agrees";
}

TEST_F(MatchRules, SwapNeedsBothPartsToCross) {
  // Only one part crosses over: still two different names.
  EXPECT_EQ(compare_names(person("carlos", "mendes"), person("mendes", "alice")),
            Names::kContradict);
  std::vector<Comparison> trace;
  compare_names(person("schulz", "anna"), person("anna", "schulz"), &trace);
  ASSERT_EQ(trace.size(), 4u);
  EXPECT_EQ(trace[2].verdict, "swapped");
  EXPECT_EQ(trace[3].verdict, "swapped");
}

TEST_F(MatchRules, SameExternalIdLinksEvenWithOtherNames) {
  const Decision d = decide(person("janet", "smith", nullptr, nullptr, "hubspot:1"),
                            {{3, person("jane", "doe", nullptr, nullptr, "hubspot:1")}});
  EXPECT_EQ(d.action, Action::kLink);
  EXPECT_EQ(d.rule, "same_external_id");
}

TEST_F(MatchRules, SameEmailContradictingNamesGoesToReview) {
  const Decision d = decide(person("bob", "miller", "info@acme.com"),
                            {{4, person("alice", "zhang", "info@acme.com")}});
  EXPECT_EQ(d.action, Action::kReview);
  EXPECT_EQ(d.review_kind, "ambiguous");
  EXPECT_EQ(d.rule, "same_email_names_contradict");
}

TEST_F(MatchRules, SharedPhoneLinksOnlyWhenNamesAgree) {
  const Candidate colleague{5, person("alice", "zhang", nullptr, "+14155550100")};
  EXPECT_EQ(decide(person("robert", "smith", nullptr, "+14155550100"), {colleague}).action,
            Action::kNewGolden)
      << "two colleagues sharing a switchboard stay two people";
  const Decision same = decide(person("bob", "zhang", nullptr, "+14155550100"),
                               {{5, person("robert", "zhang", nullptr, "+14155550100")}});
  EXPECT_EQ(same.action, Action::kLink) << "bob is a nickname of robert";
  EXPECT_EQ(same.rule, "same_phone_names_agree");
  const Decision unsure = decide(person(nullptr, "zhang", nullptr, "+14155550100"),
                                 {{5, person("alice", "zhang", nullptr, "+14155550100")}});
  EXPECT_EQ(unsure.action, Action::kReview);
  EXPECT_EQ(unsure.rule, "same_phone_names_unknown");
}

TEST_F(MatchRules, EvidenceForTwoGoldenRecordsIsAConflict) {
  const Decision d = decide(person("jane", "doe", "jane@x.com", "+14155550132"),
                            {{1, person("jane", "doe", "jane@x.com")},
                             {2, person("jane", "doe", nullptr, "+14155550132")}});
  EXPECT_EQ(d.action, Action::kReview);
  EXPECT_EQ(d.review_kind, "conflict");
  EXPECT_EQ(d.conflicting, (std::vector<int64_t>{1, 2}));
}

TEST_F(MatchRules, NearDuplicateNameWithoutKeyIsReviewedNotMerged) {
  const Decision d =
      decide(person("jon", "smyth", "jon@a.com"), {{9, person("john", "smith", "js@b.com")}});
  EXPECT_EQ(d.action, Action::kReview);
  EXPECT_EQ(d.rule, "similar_names_no_shared_key");
  EXPECT_GE(d.score, 0.85);
}

TEST_F(MatchRules, SimilarNamesAndSameEmployerLink) {
  Person a = person("jonathan", "smith");
  a.domain = "acme.com";
  Person b = person("jonathan", "smith");
  b.domain = "acme.com";
  EXPECT_EQ(decide(a, {{9, b}}).action, Action::kLink);
}

TEST_F(MatchRules, ASimilarSurnameAloneIsNotANearDuplicate) {
  EXPECT_EQ(decide(person("tambi", "pelbruntru"), {{9, person("tamser", "pelbrunren")}}).action,
            Action::kNewGolden);
}

TEST_F(MatchRules, SameNameAndEmployerButOtherEmailIsReviewed) {
  Person a = person("james", "smith", "james.smith@acme.com");
  a.company = "acme";
  Person b = person("james", "smith", "jsmith2@acme.com");
  b.company = "acme";
  const Decision d = decide(a, {{9, b}});
  EXPECT_EQ(d.action, Action::kReview) << "two mailboxes at one firm: often two people";
}

TEST_F(MatchRules, DistinctPairsAreNotProposedAgain) {
  Candidate c{9, person("john", "smith", "js@b.com")};
  c.distinct = true;
  EXPECT_EQ(decide(person("jon", "smyth"), {c}).action, Action::kNewGolden);
}

TEST_F(MatchRules, ExplainListsEveryComparison) {
  const Decision d =
      explain_pair(person("jane", "doe", "jane@x.com"), person("jane", "doe", "jane@x.com"));
  EXPECT_EQ(d.action, Action::kLink);
  const std::string json = to_json(d);
  EXPECT_NE(json.find("\"decision\": \"link\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"attribute\": \"email\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"attribute\": \"last_name\""), std::string::npos) << json;
}

}  // namespace
}  // namespace dedupe::golden
