// Batch matching core: per-role normalization, comparison levels, EM, the model's JSON.
#include <gtest/gtest.h>

#include <cmath>

#include "core/error.hpp"
#include "core/match/comparisons.hpp"
#include "core/match/em.hpp"
#include "core/match/model.hpp"
#include "core/match/record_set.hpp"
#include "core/match/training.hpp"
#include "core/normalize/nicknames.hpp"

namespace dedupe::match {
namespace {

using Raw = std::optional<std::string_view>;

class BatchMatch : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    set_nickname_table_path(DEDUPE_SOURCE_DIR "/control/data/pg_dedupe_nicknames.csv");
  }
};

RecordSet two_records(const std::vector<Role>& roles, const std::vector<Raw>& a,
                      const std::vector<Raw>& b) {
  RecordSetBuilder builder(roles);
  builder.add(1, a.data());
  builder.add(2, b.data());
  return builder.finish([] {});
}

int level(Role role, Raw a, Raw b) {
  RecordSet set = two_records({role}, {a}, {b});
  return compare(set, role, 0, 1);
}

const std::string& level_name(Role role, int level) { return comparison_def(role).levels[level]; }

TEST_F(BatchMatch, NormalizesPerRole) {
  EXPECT_EQ(normalize_for_role(Role::kDateOfBirth, "1990-12-31", "US"), "19901231");
  EXPECT_EQ(normalize_for_role(Role::kEmail, " Jane.Doe+x@GoogleMail.com", "US"),
            "janedoe@gmail.com");
  EXPECT_EQ(normalize_for_role(Role::kEmail, "not an email", "US"), "notanemail");
  EXPECT_EQ(normalize_for_role(Role::kPhone, "(415) 555-0132", "US"), "+14155550132");
  EXPECT_EQ(normalize_for_role(Role::kFirstName, "  Dr. JOSÉ ", "US"), "jose");
  EXPECT_EQ(normalize_for_role(Role::kPostcode, "SW1A 1AA", "US"), "sw1a1aa");
  EXPECT_EQ(normalize_for_role(Role::kStreet, "12 Main St.", "US"), "12 main st");
  EXPECT_EQ(normalize_for_role(Role::kCity, "  ", "US"), "");
}

TEST_F(BatchMatch, EqualNormalizedValuesShareAnId) {
  RecordSetBuilder builder({Role::kLastName});
  for (Raw v : {Raw("Smith"), Raw("SMITH "), Raw(), Raw("  "), Raw("Jones")}) builder.add(7, &v);
  RecordSet set = builder.finish([] {});
  ASSERT_EQ(set.size(), 5u);
  EXPECT_EQ(set.id(Role::kLastName, 0), set.id(Role::kLastName, 1));
  EXPECT_EQ(set.id(Role::kLastName, 2), kNull);
  EXPECT_EQ(set.id(Role::kLastName, 3), kNull);  // blank counts as missing
  EXPECT_EQ(set.column(Role::kLastName).non_null, 3u);
  const Value& smith = set.value(Role::kLastName, set.id(Role::kLastName, 0));
  EXPECT_EQ(smith.count, 2u);
  EXPECT_DOUBLE_EQ(smith.log2_frequency, std::log2(2.0 / 3.0));
}

TEST_F(BatchMatch, DateOfBirthLevels) {
  const Role r = Role::kDateOfBirth;
  EXPECT_EQ(level_name(r, level(r, "19900312", "1990-03-12")), "exact");
  EXPECT_EQ(level_name(r, level(r, "19900312", "19901203")), "day_month_swapped");
  EXPECT_EQ(level_name(r, level(r, "19900312", "19900321")), "one_edit");  // transposed digits
  EXPECT_EQ(level_name(r, level(r, "19900312", "19900313")), "one_edit");
  EXPECT_EQ(level_name(r, level(r, "19900312", "19910313")), "two_edits");
  EXPECT_EQ(level_name(r, level(r, "19900312", "20011225")), "else");
  EXPECT_EQ(level(r, "19900312", std::nullopt), kNullLevel);
}

TEST_F(BatchMatch, NameLevels) {
  const Role f = Role::kFirstName;
  EXPECT_EQ(level_name(f, level(f, "Bob", "Robert")), "nickname");
  EXPECT_EQ(level_name(f, level(f, "Katherine", "Kahterine")), "one_edit");
  EXPECT_EQ(level_name(f, level(f, "Alexandra", "Alexandrina")), "jaro_winkler_0.9");
  EXPECT_EQ(level_name(f, level(f, "Annabelle", "Anabela")), "jaro_winkler_0.8");
  // Hal stands for Harold or Henry: sharing any of the names a nickname may stand for counts.
  EXPECT_EQ(level_name(f, level(f, "Hal", "Harold")), "nickname");
  EXPECT_EQ(level_name(f, level(f, "Jonathan", "Johnathon")), "nickname");
  EXPECT_EQ(level_name(f, level(f, "Maria", "Marta")), "one_edit");
  EXPECT_EQ(level_name(f, level(f, "Alice", "Zoe")), "else");
  const Role l = Role::kLastName;
  EXPECT_EQ(level_name(l, level(l, "Wojcikiewicz", "Wojcikiewicz")), "exact");
  EXPECT_EQ(level_name(l, level(l, "Schmidt", "Schmitt")), "one_edit");
}

TEST_F(BatchMatch, SwappedGivenAndFamilyName) {
  RecordSet set = two_records({Role::kFirstName, Role::kLastName}, {"Harrison", "Mason"},
                              {"Mason", "Harisson"});
  EXPECT_EQ(level_name(Role::kFirstName, compare(set, Role::kFirstName, 0, 1)),
            "swapped_with_last_name");
  EXPECT_EQ(level_name(Role::kLastName, compare(set, Role::kLastName, 0, 1)),
            "swapped_with_first_name");
}

TEST_F(BatchMatch, GivenNameCrossedOnOneSideOnly) {
  // 'Coleman Jack' / 'Jarvis Coleman': the given name of the first is the family name of the
  // second, the other parts differ. The given name's level sees the crossing; the family
  // name's 'swapped' level needs both crossings, so the evidence is counted once.
  RecordSet set =
      two_records({Role::kFirstName, Role::kLastName}, {"Coleman", "Jack"}, {"Jarvis", "Coleman"});
  EXPECT_EQ(level_name(Role::kFirstName, compare(set, Role::kFirstName, 0, 1)),
            "swapped_with_last_name");
  EXPECT_EQ(level_name(Role::kFirstName, compare(set, Role::kFirstName, 1, 0)),
            "swapped_with_last_name");
  EXPECT_EQ(level_name(Role::kLastName, compare(set, Role::kLastName, 0, 1)), "else");
}

TEST_F(BatchMatch, ContactLevels) {
  EXPECT_EQ(level(Role::kPhone, "(415) 555-0132", "+1 415 555 0132"), kExactLevel);
  EXPECT_EQ(level_name(Role::kPhone, level(Role::kPhone, "+14155550132", "+14155550123")),
            "one_edit");
  EXPECT_EQ(level(Role::kEmail, "J.Doe@gmail.com", "jdoe@gmail.com"), kExactLevel);
  EXPECT_EQ(level_name(Role::kPostcode, level(Role::kPostcode, "2601", "2610")), "one_edit");
}

TEST_F(BatchMatch, EmailTagLevel) {
  const Role e = Role::kEmail;
  // A company domain keeps its +tags (not every server reads them), but one mailbox under two
  // tags is strong evidence, between exact and one edit.
  EXPECT_EQ(level_name(e, level(e, "jane+crm@acme.com", "jane@acme.com")),
            "same_mailbox_tag_differs");
  EXPECT_EQ(level_name(e, level(e, "Jane+crm@Acme.com", "jane+web@acme.com")),
            "same_mailbox_tag_differs");
  EXPECT_EQ(level_name(e, level(e, "jane+@acme.com", "jane@acme.com")), "same_mailbox_tag_differs");
  EXPECT_EQ(level_name(e, level(e, "jane+crm@acme.com", "jane@acme.org")), "else");
  EXPECT_EQ(level_name(e, level(e, "jane+crm@acme.com", "john+crm@acme.com")),
            "other_mailbox_same_domain");
  EXPECT_EQ(level_name(e, level(e, "jan+crm@acme.com", "jane+crm@acme.com")), "one_edit");
  EXPECT_EQ(level_name(e, level(e, "+a@acme.com", "+b@acme.com")), "one_edit");  // no mailbox
  EXPECT_EQ(level_name(e, level(e, "\"jane+x y\"@acme.com", "jane@acme.com")),
            "other_mailbox_same_domain");
  // Where the provider folds tags, they are one value.
  EXPECT_EQ(level(e, "jane+x@gmail.com", "jane@googlemail.com"), kExactLevel);
}

TEST_F(BatchMatch, ModelsStoredBeforeTheEmailTagLevelStillLoad) {
  const std::vector<LevelParams> old_email = {{"email", "exact", 0.8, 1e-5},
                                              {"email", "one_edit", 0.05, 0.001},
                                              {"email", "else", 0.15, 0.99}};
  const Model model = model_from_levels(0.001, old_email);
  ASSERT_EQ(model.comparisons.size(), 1u);
  const ComparisonParams& c = model.comparisons[0];
  ASSERT_EQ(c.m.size(), 6u);
  EXPECT_DOUBLE_EQ(c.m[2], 0.05) << "the missing level takes one_edit's parameters";
  EXPECT_DOUBLE_EQ(c.u[2], 0.001);
  EXPECT_DOUBLE_EQ(c.m[3], 0.05);
  EXPECT_DOUBLE_EQ(c.m[4], 0.15) << "and other_mailbox_same_domain else's";
  EXPECT_DOUBLE_EQ(c.u[4], 0.99);
  // Saved again, the level is spelled out, and given parameters win.
  EXPECT_NE(model.to_json().find("\"same_mailbox_tag_differs\", \"m\": 0.05"), std::string::npos);
  std::vector<LevelParams> current = old_email;
  current.push_back({"email", "same_mailbox_tag_differs", 0.1, 1e-5});
  EXPECT_DOUBLE_EQ(model_from_levels(0.001, current).comparisons[0].u[2], 1e-5);
  // Levels that were always there are still required.
  EXPECT_THROW(
      model_from_levels(0.001, {{"email", "exact", 0.8, 1e-5}, {"email", "else", 0.2, 0.99}}),
      Error);
}

TEST_F(BatchMatch, TrainingEstimatesTheEmailTagLevel) {
  // People at one company, each seen under a plain and a tagged address with the same name.
  const char* given[] = {"anna",  "boris", "chloe", "dmitri", "elena", "farid", "greta",  "hugo",
                         "ines",  "jonas", "kira",  "lars",   "mona",  "nils",  "olga",   "piet",
                         "quinn", "rosa",  "sven",  "tara",   "ugo",   "vera",  "willem", "xenia"};
  std::vector<std::string> text;  // Raw values are views
  for (const char* g : given)
    for (const char* tag : {"", "+crm", "+web"}) {
      text.push_back(std::string(g) + tag + "@acme.com");
      text.push_back(g);
    }
  RecordSetBuilder builder({Role::kEmail, Role::kFirstName});
  int64_t id = 0;
  for (size_t i = 0; i < text.size(); i += 2) {
    const Raw row[2] = {text[i], text[i + 1]};
    builder.add(++id, row);
  }
  const RecordSet set = builder.finish([] {});
  const Model model = train(set, TrainOptions{}, RunControl{});
  const ComparisonParams* email = model.find(Role::kEmail);
  ASSERT_NE(email, nullptr);
  ASSERT_EQ(email->m.size(), 6u);
  EXPECT_GT(email->m[2], email->u[2]) << model.to_json();
  EXPECT_GT(email->m[2], 0.5) << model.to_json();
}

// EM recovers m and lambda from patterns drawn (in expectation) from a known model.
TEST_F(BatchMatch, ExpectationMaximizationRecoversM) {
  const std::vector<Role> roles = {Role::kDateOfBirth, Role::kState, Role::kHouseNumber};
  LevelTable m(kRoleCount), u(kRoleCount);
  m[role_index(Role::kDateOfBirth)] = {0, 0.85, 0.03, 0.07, 0.02, 0.03};
  u[role_index(Role::kDateOfBirth)] = {0, 0.0005, 0.0001, 0.002, 0.01, 0.9874};
  m[role_index(Role::kState)] = {0, 0.9, 0.1};
  u[role_index(Role::kState)] = {0, 0.2, 0.8};
  m[role_index(Role::kHouseNumber)] = {0, 0.8, 0.2};
  u[role_index(Role::kHouseNumber)] = {0, 0.01, 0.99};
  const double lambda = 0.3, total = 1e7;
  PatternCounts patterns;
  for (int d = 1; d <= 5; ++d)
    for (int s = 1; s <= 2; ++s)
      for (int h = 1; h <= 2; ++h) {
        Pattern p = with_level(with_level(with_level(0, roles[0], d), roles[1], s), roles[2], h);
        const double pm =
            m[role_index(roles[0])][d] * m[role_index(roles[1])][s] * m[role_index(roles[2])][h];
        const double pu =
            u[role_index(roles[0])][d] * u[role_index(roles[1])][s] * u[role_index(roles[2])][h];
        patterns[p] =
            static_cast<uint64_t>(std::llround(total * (lambda * pm + (1 - lambda) * pu)));
      }
  LevelTable start(kRoleCount);
  for (Role r : roles) start[role_index(r)] = default_m(r);
  EmResult result = expectation_maximization(patterns, roles, u, start, 0.5, 500, 1e-9);
  EXPECT_TRUE(result.converged);
  EXPECT_NEAR(result.lambda, lambda, 0.01);
  for (Role r : roles)
    for (size_t level = 1; level < m[role_index(r)].size(); ++level)
      EXPECT_NEAR(result.m[role_index(r)][level], m[role_index(r)][level], 0.01)
          << role_name(r) << " level " << level;
}

TEST_F(BatchMatch, ModelRoundTripsThroughLevels) {
  Model model;
  model.lambda = 0.001;
  model.comparisons.push_back({Role::kState, {1, 0.9, 0.1}, {1, 0.2, 0.8}});
  const std::string json = model.to_json();
  EXPECT_NE(json.find("\"role\": \"state\""), std::string::npos) << json;
  EXPECT_NE(json.find("{\"level\": \"exact\", \"m\": 0.9, \"u\": 0.2}"), std::string::npos) << json;
  Model back =
      model_from_levels(0.001, {{"state", "exact", 0.9, 0.2}, {"state", "else", 0.1, 0.8}});
  ASSERT_EQ(back.comparisons.size(), 1u);
  EXPECT_DOUBLE_EQ(back.comparisons[0].m[1], 0.9);
  EXPECT_DOUBLE_EQ(back.comparisons[0].u[2], 0.8);
}

TEST_F(BatchMatch, BadModelParametersAreRejected) {
  auto code = [](double lambda, std::vector<LevelParams> levels) -> std::string {
    try {
      model_from_levels(lambda, levels);
    } catch (const Error& e) {
      return std::string(e.sqlstate()) + " " + e.what();
    }
    return "ok";
  };
  EXPECT_EQ(code(0.5, {{"state", "exact", 0.9, 0.2}, {"state", "else", 0.1, 0.8}}), "ok");
  EXPECT_EQ(code(1.5, {}).substr(0, 5), "22023");
  EXPECT_EQ(code(0.1, {{"shoe_size", "exact", 0.9, 0.2}}).substr(0, 5), "22023");
  EXPECT_EQ(code(0.1, {{"state", "close", 0.9, 0.2}}).substr(0, 5), "22023");
  EXPECT_EQ(code(0.1, {{"state", "exact", 0, 0.2}, {"state", "else", 0.1, 0.8}}).substr(0, 5),
            "22023");
  EXPECT_EQ(code(0.1, {{"state", "exact", 0.9, 0.2}}),
            "22023 model lacks level \"else\" of role state");
}

TEST_F(BatchMatch, ScorerWeighsRareValuesMore) {
  // 'smith' is common, 'wojcikiewicz' rare: an exact agreement on the rare name weighs more.
  RecordSetBuilder builder({Role::kLastName});
  std::vector<std::string> names = {"wojcikiewicz", "wojcikiewicz"};
  for (int i = 0; i < 20; ++i) names.push_back("smith");
  for (int i = 0; i < 20; ++i) names.push_back("name" + std::string(1, 'a' + i));
  int64_t id = 0;
  for (const auto& n : names) {
    Raw v = n;
    builder.add(++id, &v);
  }
  RecordSet set = builder.finish([] {});
  Model model;
  model.lambda = 0.01;
  model.comparisons.push_back({Role::kLastName,
                               {1, 0.9, 0.02, 0.02, 0.02, 0.02, 0.02},
                               {1, 0.05, 0.01, 0.01, 0.01, 0.01, 0.91}});
  Scorer scorer(model, set);
  EXPECT_GT(scorer.match_weight(0, 1), scorer.match_weight(2, 3) + 2);
  EXPECT_NEAR(Scorer::probability(Scorer::weight_for(0.9)), 0.9, 1e-12);
}

TEST_F(BatchMatch, ScorerNeedsEveryMappedRole) {
  RecordSet set = two_records({Role::kCity}, {"x"}, {"y"});
  Model model;
  try {
    Scorer scorer(model, set);
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.sqlstate(), "22023");
  }
}

}  // namespace
}  // namespace dedupe::match

namespace dedupe::match {
namespace {

// A postcode implies its city: agreeing on both says little more than agreeing on one.
TEST_F(BatchMatch, DependentAddressPartsAreNotCountedTwice) {
  RecordSetBuilder builder({Role::kCity, Role::kPostcode});
  std::vector<Raw> a = {"perth", "6000"}, b = {"perth", "6000"};
  builder.add(1, a.data());
  builder.add(2, b.data());
  RecordSet set = builder.finish([] {});
  Model model;
  model.lambda = 0.01;
  model.comparisons.push_back({Role::kCity, {1, 0.9, 0.05, 0.05}, {1, 0.01, 0.01, 0.98}});
  model.comparisons.push_back({Role::kPostcode, {1, 0.9, 0.05, 0.05}, {1, 0.01, 0.01, 0.98}});
  const double independent = Scorer(model, set).match_weight(0, 1);
  model.dependence.push_back({{Role::kCity, Role::kPostcode}, 6.0});
  EXPECT_NEAR(Scorer(model, set).match_weight(0, 1), independent - 6.0, 1e-9);
  Model back = model_from_levels(0.01, {}, {{{"city", "postcode"}, 6.0}});
  ASSERT_EQ(back.dependence.size(), 1u);
  EXPECT_EQ(back.dependence[0].roles, (std::vector<Role>{Role::kCity, Role::kPostcode}));
  EXPECT_THROW(model_from_levels(0.01, {}, {{{"city", "first_name"}, 6.0}}), Error);
}

}  // namespace
}  // namespace dedupe::match

namespace dedupe::match {
namespace {

// Swapped names never weigh more than the same names in the same order.
TEST_F(BatchMatch, WeakerLevelsNeverOutweighExactAgreement) {
  RecordSetBuilder builder({Role::kFirstName, Role::kLastName});
  std::vector<std::vector<Raw>> rows = {
      {"holly", "matthews"}, {"holly", "matthews"}, {"matthews", "holly"}};
  int64_t id = 0;
  for (auto& row : rows) builder.add(++id, row.data());
  RecordSet set = builder.finish([] {});
  Model model;
  model.lambda = 0.001;
  // A noisy u for the swapped level (as a small random-pair sample gives) would make it
  // weigh far more than exact agreement on these common names.
  model.comparisons.push_back({Role::kFirstName,
                               {1, 0.7, 0.01, 0.1, 0.01, 0.06, 0.01, 0.11},
                               {1, 0.5, 0.001, 0.001, 0.001, 1e-7, 0.003, 0.494}});
  model.comparisons.push_back({Role::kLastName,
                               {1, 0.7, 0.1, 0.01, 0.06, 0.01, 0.12},
                               {1, 0.5, 0.001, 0.001, 1e-7, 0.003, 0.495}});
  Scorer scorer(model, set);
  EXPECT_LE(scorer.match_weight(0, 2), scorer.match_weight(0, 1));
}

}  // namespace
}  // namespace dedupe::match

namespace dedupe::match {
namespace {

// Issue 14 item 5: full name next to its parts was compared as a third, correlated name
// signal; a shared common name then outweighed contradicting evidence.
TEST(RecordSet, FullNameIsNotComparedBesideItsParts) {
  RecordSetBuilder both({Role::kFirstName, Role::kLastName, Role::kFullName});
  RecordSet with_parts = both.finish([] {});
  EXPECT_TRUE(with_parts.has(Role::kFullName));
  const std::vector<Role> parts = {Role::kFirstName, Role::kLastName};
  EXPECT_EQ(with_parts.roles(), parts);

  RecordSetBuilder alone({Role::kFullName, Role::kEmail});
  RecordSet full_only = alone.finish([] {});
  const std::vector<Role> email_and_full = {Role::kEmail, Role::kFullName};
  EXPECT_EQ(full_only.roles(), email_and_full);
}

}  // namespace
}  // namespace dedupe::match
