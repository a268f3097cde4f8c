#include "core/golden/decide.hpp"

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

// The write path's decision with the default thresholds and the cold-start model.
Decision decide(const Person& record, const std::vector<Candidate>& candidates) {
  return golden::decide(record, candidates, Thresholds{}, cold_start_model());
}

Decision explain_pair(const Person& a, const Person& b) {
  return golden::explain_pair(a, b, Thresholds{}, cold_start_model());
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
  const Decision d =
      decide(person("schulz", "anna", "anna@x.de"), {{5, person("anna", "schulz", "anna@x.de")}});
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

TEST_F(MatchRules, SameEmailContradictingNamesIsNoEvidence) {
  // A household or team mailbox: the shared address is left out and the names decide.
  const Decision d = decide(person("bob", "miller", "info@acme.com"),
                            {{4, person("alice", "zhang", "info@acme.com")}});
  EXPECT_EQ(d.action, Action::kNewGolden);
  const Decision family = decide(person("anna", "miller", "millers@home.net"),
                                 {{4, person("tom", "miller", "millers@home.net")}});
  EXPECT_EQ(family.action, Action::kNewGolden) << "a family shares its surname and its mailbox";
  EXPECT_EQ(family.keys_ignored_by, "same_email_names_contradict") << "the waterfall says why";
}

TEST_F(MatchRules, AnInitialDoesNotContradictItsName) {
  const Decision d = decide(person("t", "martinez", "tm@wonka.de"),
                            {{4, person("timothy", "martinez", "tm@wonka.de")}});
  EXPECT_EQ(d.action, Action::kLink);
  EXPECT_EQ(d.rule, "same_email");
}

TEST_F(MatchRules, SharedPhoneLinksOnlyWhenNamesAgree) {
  const Candidate colleague{5, person("alice", "zhang", nullptr, "+14155550100")};
  EXPECT_EQ(decide(person("robert", "smith", nullptr, "+14155550100"), {colleague}).action,
            Action::kNewGolden)
      << "two colleagues sharing a switchboard stay two people";
  EXPECT_EQ(decide(person("wei", "zhang", nullptr, "+14155550100"), {colleague}).action,
            Action::kNewGolden)
      << "two people of one household sharing a home phone stay two people";
  const Decision same = decide(person("bob", "zhang", nullptr, "+14155550100"),
                               {{5, person("robert", "zhang", nullptr, "+14155550100")}});
  EXPECT_EQ(same.action, Action::kLink) << "bob is a nickname of robert";
  EXPECT_EQ(same.rule, "same_phone_names_agree");
}

TEST_F(MatchRules, EvidenceForTwoGoldenRecordsLinksAndNamesBothForTheMerge) {
  // The email is one golden record's, the phone (names agreeing) another's: one person in
  // two golden records, as batch's clusters of these rows say.
  Decision d = decide(person("jane", "doe", "jane@x.com", "+14155550132"),
                      {{2, person("jane", "doe", nullptr, "+14155550132")},
                       {1, person("jane", "doe", "jane@x.com")}});
  EXPECT_EQ(d.action, Action::kLink);
  EXPECT_EQ(d.rule, "evidence_names_several_golden_records");
  EXPECT_EQ(d.conflicting, (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(d.golden_id, 1) << "the golden record the stronger evidence (the email) names";
  EXPECT_FALSE(d.joins_while_reviewed);
  // Where they cannot be merged, a human decides while the record waits in that one.
  as_conflict_review(d);
  EXPECT_EQ(d.action, Action::kReview);
  EXPECT_EQ(d.review_kind, "conflict");
  EXPECT_TRUE(d.joins_while_reviewed);
  EXPECT_EQ(d.golden_id, 1);
}

TEST_F(MatchRules, ASharedMailboxWithAnotherDateOfBirthIsAHouseholds) {
  // John Smith and John Smith Jr.: one home mailbox and phone, two dates of birth.
  Person father = person("john", "smith", "home@smith.example", "+12125550100");
  Person son = father;
  father.more = {{match::Role::kDateOfBirth, "19610402"}};
  son.more = {{match::Role::kDateOfBirth, "19931120"}};
  const Decision d = decide(son, {{3, father}});
  EXPECT_EQ(d.action, Action::kNewGolden) << to_json(d);
  EXPECT_EQ(d.rule, "match_probability_below_review") << "the model decides, the mailbox left out";
  EXPECT_EQ(d.keys_ignored_by, "shared_by_two_dates_of_birth");
  EXPECT_NE(to_json(d).find("\"keys_ignored_by\": \"shared_by_two_dates_of_birth\""),
            std::string::npos)
      << to_json(d);
  // A typo in the date (one digit) or its day and month swapped is still one person.
  Person typo = father;
  typo.more = {{match::Role::kDateOfBirth, "19610403"}};
  EXPECT_EQ(decide(typo, {{3, father}}).rule, "same_email");
  Person swapped = father;
  swapped.more = {{match::Role::kDateOfBirth, "19610204"}};
  EXPECT_EQ(decide(swapped, {{3, father}}).rule, "same_email");
  // Another source writing dates in another order (04/02/1961), or a year alone, may give the
  // same date: no contradiction.
  for (const char* other : {"04021961", "02041961", "1961"}) {
    Person written_otherwise = father;
    written_otherwise.more = {{match::Role::kDateOfBirth, other}};
    EXPECT_EQ(decide(written_otherwise, {{3, father}}).rule, "same_email") << other;
  }
}

TEST_F(MatchRules, AMailboxWhoseNamesOnlyDoNotContradictMergesNothing) {
  // The email is Jane Smith's golden record's, the phone (names agreeing) Jane Doe's: the
  // mailbox may be a maiden name's or a sister's, the phone is firm. The row joins Jane Doe.
  const Decision d = decide(person("jane", "doe", "jane@x.com", "+14155550132"),
                            {{1, person("jane", "smith", "jane@x.com")},
                             {2, person("jane", "doe", nullptr, "+14155550132")}});
  EXPECT_EQ(d.action, Action::kLink);
  EXPECT_EQ(d.rule, "same_phone_names_agree");
  EXPECT_EQ(d.golden_id, 2);
  EXPECT_TRUE(d.conflicting.empty());
  // Firm evidence for two others: those two are merged, the mailbox's golden record is not.
  const Decision two = decide(person("jane", "doe", "jane@x.com", "+14155550132", "crm-7"),
                              {{1, person("jane", "smith", "jane@x.com")},
                               {2, person("jane", "doe", nullptr, "+14155550132")},
                               {3, person("j", "doe", nullptr, nullptr, "crm-7")}});
  EXPECT_EQ(two.rule, "evidence_names_several_golden_records");
  EXPECT_EQ(two.conflicting, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(two.golden_id, 3) << "the external id is the strongest evidence";
  // The same mailbox alone still links (a name changed on marriage).
  const Decision alone =
      decide(person("jane", "doe", "jane@x.com"), {{1, person("jane", "smith", "jane@x.com")}});
  EXPECT_EQ(alone.rule, "same_email");
  EXPECT_EQ(alone.golden_id, 1);
}

TEST_F(MatchRules, NamesAloneStartAGoldenRecordOfTheirOwn) {
  // The same name and nothing else is a coin toss (namesakes are common): below the review
  // threshold, so the record starts a golden record and no human is asked.
  const Decision d = decide(person("john", "smith"), {{9, person("john", "smith")}});
  EXPECT_EQ(d.action, Action::kNewGolden);
  EXPECT_EQ(d.rule, "match_probability_below_review");
  EXPECT_GT(d.score, 0.5);
  EXPECT_LT(d.score, 0.6);
}

TEST_F(MatchRules, DifferentEmailsCountAgainstNamesakes) {
  const Decision d = decide(person("john", "smith", "jsmith@gmail.com", "+14155550101"),
                            {{9, person("john", "smith", "john.smith@yahoo.com", "+12125550199")}});
  EXPECT_EQ(d.action, Action::kNewGolden) << "two mailboxes and two phones: two people";
  EXPECT_EQ(d.rule, "match_probability_below_review");
}

TEST_F(MatchRules, AnEmployerToldTwiceCountsOnce) {
  // The company and its mail domain are one fact: names, employer and domain together weigh
  // what names and employer weigh.
  Person a = person("jonathan", "smith");
  a.company = "acme";
  Person b = a;
  const double employer = decide(a, {{9, b}}).score;
  a.domain = b.domain = "acme.com";
  EXPECT_NEAR(decide(a, {{9, b}}).score, employer, 1e-9);
}

TEST_F(MatchRules, AMistypedMailboxWithTheSameNameLinks) {
  const Decision d = decide(person("jane", "doe", "jane.doe@acme.com"),
                            {{9, person("jane", "doe", "jane.deo@acme.com")}});
  EXPECT_EQ(d.action, Action::kLink) << to_json(d);
  EXPECT_EQ(d.rule, "match_probability");
}

TEST_F(MatchRules, NamesAndASharedPhoneWithAnEmployerLink) {
  Person a = person("jane", "doe", nullptr, "+14155550100");
  a.company = "acme";
  const Decision d = decide(a, {{9, person("jane", "doe", "jane@acme.com", "+14155550100")}});
  EXPECT_EQ(d.action, Action::kLink);
  EXPECT_EQ(d.rule, "same_phone_names_agree");
}

TEST_F(MatchRules, ASimilarSurnameAloneIsNotANearDuplicate) {
  EXPECT_EQ(decide(person("tambi", "pelbruntru"), {{9, person("tamser", "pelbrunren")}}).action,
            Action::kNewGolden);
}

TEST_F(MatchRules, SameNameAndEmployerWithOtherEmailAndPhoneStayApart) {
  // Two mailboxes and two phones at one firm under one name: two people.
  Person a = person("james", "smith", "james.smith@acme.com", "+14155550101");
  a.company = "acme";
  Person b = person("james", "smith", "jsmith2@acme.com", "+14155550177");
  b.company = "acme";
  EXPECT_NE(decide(a, {{9, b}}).action, Action::kLink);
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

// The verdict explain_pair gives one attribute.
std::string verdict(const Decision& d, const std::string& attribute) {
  for (const Comparison& c : d.comparisons)
    if (c.attribute == attribute) return c.verdict;
  return "absent";
}

TEST_F(MatchRules, SwitchboardWithOtherSurnameIsNoEvidence) {
  // Colleagues on one switchboard: the phone agrees, the given names are nicknames of each
  // other, the surnames differ. The phone must not carry them into one golden record.
  Person a = person("james", "duran", "james_durand@sfr.fr", "+12179631706");
  a.company = "soylent";
  Person b = person("jim", "brown", "brown.james@outlook.com", "+12179631706");
  b.company = "soylent";
  EXPECT_FALSE(phone_is_evidence(a, b));
  const Decision d = explain_pair(a, b);
  EXPECT_EQ(verdict(d, "phone"), "ignored") << to_json(d);
  EXPECT_NE(d.action, Action::kLink) << to_json(d);
  // The same phone with the surname agreeing and the given name an initial is evidence.
  EXPECT_TRUE(phone_is_evidence(person("t", "martinez", nullptr, "+17738196508"),
                                person("timothy", "martinez", nullptr, "+17738196508")));
  // A home phone of one family: the surname agrees, the given names contradict.
  EXPECT_FALSE(phone_is_evidence(person("angela", "rivera", nullptr, "+14155550100"),
                                 person("daniel", "rivera", nullptr, "+14155550100")));
}

TEST_F(MatchRules, AnotherMailboxAtTheSameDomainCountsAgainst) {
  // Two John Smiths of one firm have a mailbox each; one person seldom has two at one domain.
  const Decision one_firm = explain_pair(person("john", "smith", "john.smith@acme.com"),
                                         person("john", "smith", "jsmith@acme.com"));
  const Decision two_domains = explain_pair(person("john", "smith", "john.smith@acme.com"),
                                            person("john", "smith", "jsmith@gmail.com"));
  EXPECT_EQ(verdict(one_firm, "email"), "other_mailbox_same_domain") << to_json(one_firm);
  EXPECT_EQ(verdict(two_domains, "email"), "else") << to_json(two_domains);
  EXPECT_LT(one_firm.score, two_domains.score);
}

TEST_F(MatchRules, NumberedMailboxIsNotATypo) {
  // A mail system gives the second jonathan carter of a firm jonathan.carter2@: one edit apart,
  // but a different mailbox, not a mistyped one.
  const Decision numbered =
      explain_pair(person("jonathan", "carter", "jonathan.carter2@kestrel.com"),
                   person("jonathan", "carter", "jonathan.carter@kestrel.com"));
  EXPECT_EQ(verdict(numbered, "email"), "other_mailbox_same_domain") << to_json(numbered);
  const Decision typo = explain_pair(person("michelle", "campbell", "campbellmixhelle@gmail.com"),
                                     person("michelle", "campbell", "campbellmichelle@gmail.com"));
  EXPECT_EQ(verdict(typo, "email"), "one_edit") << to_json(typo);
  EXPECT_GT(typo.score, numbered.score);
  // So does a provider that keeps separators to the second amy smith: amy_smith@ beside
  // amysmith@ (and amy.smith@ where dots count) are two accounts.
  for (const char* other : {"amy_smith@yahoo.com", "amy.smith@yahoo.com", "amy-smith@yahoo.com"}) {
    const Decision punctuated =
        explain_pair(person("amy", "smith", other), person("amy", "smith", "amysmith@yahoo.com"));
    EXPECT_EQ(verdict(punctuated, "email"), "other_mailbox_same_domain") << to_json(punctuated);
  }
}

TEST_F(MatchRules, AModelConflictJoinsTheBestGoldenRecordWhileAHumanDecides) {
  // Two golden records hold the same person (the rows that would have joined them came
  // later); a new row matches both above the link threshold.
  Person row = person("emma", "louca");
  row.more = {{match::Role::kDateOfBirth, "19590308"}, {match::Role::kPostcode, "3377"}};
  Person in_one = row, in_other = row;
  in_other.more = {{match::Role::kDateOfBirth, "19590308"}};
  const Decision d = decide(row, {{4, in_other}, {7, in_one}});
  EXPECT_EQ(d.action, Action::kReview);
  EXPECT_EQ(d.review_kind, "conflict");
  EXPECT_EQ(d.conflicting, (std::vector<int64_t>{4, 7}));
  EXPECT_TRUE(d.joins_while_reviewed);
  EXPECT_EQ(d.golden_id, 7) << "the one it matches best: the postcode agrees there too";
}

}  // namespace
}  // namespace dedupe::golden
