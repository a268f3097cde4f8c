// Batch clustering core: union-find, blocking rules, training on data, cancellation.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>
#include <set>

#include "core/cluster/batch.hpp"
#include "core/cluster/blocking.hpp"
#include "core/cluster/union_find.hpp"
#include "core/error.hpp"
#include "core/match/training.hpp"
#include "core/normalize/nicknames.hpp"

namespace dedupe::cluster {
namespace {

using match::Role;
using Raw = std::optional<std::string_view>;

class BatchCluster : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    set_nickname_table_path(DEDUPE_SOURCE_DIR "/control/data/pg_dedupe_nicknames.csv");
  }
};

const std::vector<Role> kPeople = {Role::kFirstName, Role::kLastName, Role::kDateOfBirth,
                                   Role::kPostcode, Role::kCity};

match::RecordSet people(const std::vector<std::vector<Raw>>& rows, int64_t first_id = 1) {
  match::RecordSetBuilder builder(kPeople);
  int64_t id = first_id;
  for (const auto& row : rows) builder.add(id++, row.data());
  return builder.finish([] {});
}

std::set<std::pair<uint32_t, uint32_t>> pair_set(const CandidatePairs& pairs) {
  std::set<std::pair<uint32_t, uint32_t>> out;
  for (size_t i = 0; i < pairs.size(); ++i) out.insert({pairs.a(i), pairs.b(i)});
  return out;
}

TEST_F(BatchCluster, UnionFindComponents) {
  UnionFind uf(6);
  EXPECT_TRUE(uf.unite(0, 1, 0.99));
  EXPECT_TRUE(uf.unite(1, 2, 0.95));
  EXPECT_FALSE(uf.unite(2, 0, 0.97));
  EXPECT_TRUE(uf.unite(4, 5, 0.91));
  EXPECT_EQ(uf.find(0), uf.find(2));
  EXPECT_NE(uf.find(0), uf.find(3));
  EXPECT_EQ(uf.size_of(1), 3u);
  EXPECT_DOUBLE_EQ(uf.min_link(2), 0.95);
  EXPECT_DOUBLE_EQ(uf.min_link(4), 0.91);
  EXPECT_TRUE(std::isinf(uf.min_link(3)));
  EXPECT_EQ(uf.components(), 3u);
}

TEST_F(BatchCluster, AutomaticRulesFollowTheMapping) {
  match::RecordSet set = people({{"a", "b", "19900101", "2000", "x"}});
  const auto rules = automatic_rules(set);
  EXPECT_EQ(rules, (std::vector<std::string>{"date_of_birth", "name_phonetic",
                                             "postcode_name_phonetic", "city_name_phonetic",
                                             "sorted_family_name", "sorted_given_name"}));
}

TEST_F(BatchCluster, RulesBringTogetherWhatTheyShould) {
  match::RecordSet set = people({
      {"john", "smith", "19900101", "2600", "canberra"},  // 0
      {"jon", "smyth", "19900101", "9999", "perth"},      // 1: same dob
      {"smith", "john", std::nullopt, "1234", "hobart"},  // 2: names swapped
      {"zoe", "quinn", "20010203", "5000", "adelaide"},   // 3: nothing in common
  });
  CandidatePairs dob = block(set, {"date_of_birth"}, {}, {});
  EXPECT_EQ(pair_set(dob), (std::set<std::pair<uint32_t, uint32_t>>{{0, 1}}));
  CandidatePairs phonetic = block(set, {"name_phonetic"}, {}, {});
  EXPECT_TRUE(pair_set(phonetic).count({0, 2}));  // swapped names share the codes
  EXPECT_FALSE(pair_set(phonetic).count({0, 3}));
  // Both rules: each pair once, with the first rule that produced it.
  CandidatePairs both = block(set, {"date_of_birth", "name_phonetic"}, {}, {});
  for (size_t i = 0; i < both.size(); ++i)
    if (both.a(i) == 0 && both.b(i) == 1) EXPECT_EQ(both.rule(i), "date_of_birth");
  EXPECT_EQ(both.size(), pair_set(both).size());
}

TEST_F(BatchCluster, OversizedBlocksFallBackToAWindow) {
  std::vector<std::vector<Raw>> rows;
  std::vector<std::string> names;
  for (int i = 0; i < 1000; ++i) names.push_back("name" + std::to_string(i));
  for (int i = 0; i < 1000; ++i) rows.push_back({names[i], names[i], "19900101", "2600", "x"});
  match::RecordSet set = people(rows);
  BlockingOptions options;
  options.max_block = 50;
  options.window = 5;
  CandidatePairs pairs = block(set, {"date_of_birth"}, options, {});
  EXPECT_LE(pairs.size(), 1000u * 5);  // not 1000 * 999 / 2
  EXPECT_GE(pairs.size(), 990u * 5);
  options.max_pairs = 1000;
  try {
    block(set, {"date_of_birth"}, options, {});
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.sqlstate(), "54000");
  }
}

TEST_F(BatchCluster, UnknownOrUnmappedRulesAreRejected) {
  match::RecordSet set = people({{"a", "b", "19900101", "2000", "x"}});
  for (const char* rule : {"shoe_size", "email"}) {
    try {
      block(set, {rule}, {}, {});
      FAIL() << rule;
    } catch (const Error& e) {
      EXPECT_STREQ(e.sqlstate(), "22023");
    }
  }
}

// Many distinct people, some entered twice with typos: the learned model links the twins
// and nobody else; cluster ids are the smallest row id of each cluster.
TEST_F(BatchCluster, TrainsAndClustersUnlabeledData) {
  const char* first[] = {"james",    "mary",    "robert",  "patricia", "john",
                         "jennifer", "michael", "linda",   "william",  "elizabeth",
                         "david",    "barbara", "richard", "susan"};
  const char* last[] = {"smith",     "johnson", "williams", "brown",     "jones",
                        "garcia",    "miller",  "davis",    "rodriguez", "martinez",
                        "hernandez", "lopez",   "gonzalez", "wilson",    "anderson",
                        "thomas",    "taylor",  "moore",    "jackson",   "martin"};
  const char* city[] = {"sydney", "melbourne", "brisbane", "perth", "adelaide", "hobart"};
  std::vector<std::string> storage;
  storage.reserve(4000);
  std::vector<std::vector<Raw>> rows;
  auto keep = [&](std::string s) -> Raw {
    storage.push_back(std::move(s));
    return Raw(storage.back());
  };
  std::mt19937 rng(7);
  auto pick = [&](int n) { return static_cast<int>(rng() % n); };
  for (int i = 0; i < 600; ++i) {
    char dob[16];
    std::snprintf(dob, sizeof dob, "%04d%02d%02d", 1930 + pick(70), 1 + pick(12), 1 + pick(28));
    rows.push_back({keep(first[pick(14)]), keep(last[pick(20)]), keep(dob),
                    keep(std::to_string(2000 + pick(900))), keep(city[pick(6)])});
  }
  // Duplicates of the first 100 people (rows 600..699): a typo in the family name.
  for (int i = 0; i < 100; ++i) {
    std::vector<Raw> dup = rows[i];
    std::string family(*dup[1]);
    std::swap(family[1], family[2]);
    dup[1] = keep(family);
    rows.push_back(dup);
  }
  match::RecordSet set = people(rows);
  match::Model model = match::train(set, {}, {});
  EXPECT_GT(model.lambda, 0);
  EXPECT_LT(model.lambda, 0.01);
  CandidatePairs pairs = block(set, automatic_rules(set), {}, {});
  match::Scorer scorer(model, set);
  Clustering c = cluster_records(set, pairs, scorer, 0.9, {});
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(c.cluster_id[600 + i], i + 1) << i;
    EXPECT_EQ(c.size[i], 2u);
    EXPECT_GE(c.min_link[i], 0.9);
  }
  for (int i = 100; i < 600; ++i) {
    EXPECT_EQ(c.cluster_id[i], i + 1);
    EXPECT_EQ(c.size[i], 1u);
    EXPECT_TRUE(std::isnan(c.min_link[i]));
  }
  EXPECT_EQ(c.clusters, 600u);
  // The same data gives the same model.
  EXPECT_EQ(match::train(set, {}, {}).to_json(), model.to_json());
}

TEST_F(BatchCluster, CancellationUnwinds) {
  std::vector<std::vector<Raw>> rows(3000, std::vector<Raw>{"ann", "lee", "19900101", "2600", "x"});
  match::RecordSet set = people(rows);
  struct Cancelled {};
  int calls = 0;
  match::RunControl control;
  control.check_interrupt = [&] {
    if (++calls == 3) throw Cancelled{};
  };
  EXPECT_THROW(match::train(set, {}, control), Cancelled);
  calls = 0;
  EXPECT_THROW(block(set, automatic_rules(set), {}, control), Cancelled);
}

}  // namespace
}  // namespace dedupe::cluster
