// The batch matcher on FEBRL without a server: loads CSV files, trains, blocks, clusters and
// prints pairwise precision / recall / F1 against the ground truth in rec_id (read only here),
// plus the blocking recall. A development aid next to the SQL harness (run_febrl.sh).
//   core_eval [--ssn] [--threshold P] file.csv [file2.csv]
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/cluster/batch.hpp"
#include "core/match/training.hpp"
#include "core/normalize/nicknames.hpp"

using namespace dedupe;
static std::vector<std::string> rules_from_env(const match::RecordSet& set) {
  const char* env = getenv("RULES");
  if (!env) return cluster::automatic_rules(set);
  std::vector<std::string> out;
  std::string cur;
  for (const char* p = env;; ++p) {
    if (*p == ',' || !*p) {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
      if (!*p) break;
    } else
      cur.push_back(*p);
  }
  return out;
}
static cluster::BlockingOptions options_from_env() {
  cluster::BlockingOptions o;
  if (getenv("WINDOW")) o.window = atoi(getenv("WINDOW"));
  if (getenv("MAX_BLOCK")) o.max_block = atoi(getenv("MAX_BLOCK"));
  o.max_pairs = 1ull << 40;
  return o;
}

static std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t pos = line.find(',', start);
    std::string f = line.substr(start, pos == std::string::npos ? std::string::npos : pos - start);
    while (!f.empty() && f.front() == ' ') f.erase(f.begin());
    while (!f.empty() && (f.back() == ' ' || f.back() == '\r')) f.pop_back();
    out.push_back(f);
    if (pos == std::string::npos) break;
    start = pos + 1;
  }
  return out;
}

int main(int argc, char** argv) {
  set_nickname_table_path(DEDUPE_SOURCE_DIR "/control/data/pg_dedupe_nicknames.csv");
  bool ssn = false, verbose = false;
  double threshold = 0.9;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    if (!strcmp(argv[i], "--ssn"))
      ssn = true;
    else if (!strcmp(argv[i], "-v"))
      verbose = true;
    else if (!strcmp(argv[i], "--threshold"))
      threshold = atof(argv[++i]);
    else
      files.push_back(argv[i]);
  }
  using match::Role;
  // given_name, surname, street_number, address_1, address_2, suburb, postcode, state, dob, ssn
  std::vector<Role> roles = {Role::kFirstName, Role::kLastName, Role::kHouseNumber,
                             Role::kStreet,    Role::kLocality, Role::kCity,
                             Role::kPostcode,  Role::kState,    Role::kDateOfBirth};
  if (ssn) roles.push_back(Role::kIdentifier);
  match::RecordSetBuilder builder(roles);
  std::vector<std::string> entity;
  int64_t row = 0;
  for (const auto& file : files) {
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      auto f = split(line);
      std::string rec = f[0];
      entity.push_back(rec.substr(4, rec.find('-', 4) - 4));
      std::vector<std::optional<std::string_view>> raw;
      for (size_t k = 1; k <= roles.size(); ++k)
        raw.push_back(f[k].empty() ? std::nullopt : std::optional<std::string_view>(f[k]));
      builder.add(++row, raw.data());
    }
  }
  auto t0 = std::chrono::steady_clock::now();
  match::RunControl control;
  match::RecordSet set = builder.finish([] {});
  match::Model model = match::train(set, {}, control);
  auto t1 = std::chrono::steady_clock::now();
  if (verbose) std::cout << model.to_json() << "\n";
  cluster::CandidatePairs pairs =
      cluster::block(set, rules_from_env(set), options_from_env(), control);
  match::Scorer scorer(model, set);
  auto clustering = cluster::cluster_records(set, pairs, scorer, threshold, control);
  auto t2 = std::chrono::steady_clock::now();

  // Ground truth pairs.
  std::unordered_map<std::string, std::vector<uint32_t>> groups;
  for (uint32_t i = 0; i < entity.size(); ++i) groups[entity[i]].push_back(i);
  uint64_t true_pairs = 0;
  for (auto& [k, g] : groups) true_pairs += g.size() * (g.size() - 1) / 2;
  uint64_t blocked_true = 0;
  std::map<std::string, uint64_t> missed_by_rule;
  for (size_t i = 0; i < pairs.size(); ++i)
    if (entity[pairs.a(i)] == entity[pairs.b(i)]) ++blocked_true;
  // Predicted pairs: within clusters.
  std::map<int64_t, std::vector<uint32_t>> clusters;
  for (uint32_t i = 0; i < set.size(); ++i) clusters[clustering.cluster_id[i]].push_back(i);
  uint64_t predicted = 0, tp = 0;
  for (auto& [c, members] : clusters) {
    predicted += members.size() * (members.size() - 1) / 2;
    std::map<std::string, uint64_t> by;
    for (auto m : members) ++by[entity[m]];
    for (auto& [e, k] : by) tp += k * (k - 1) / 2;
  }
  double p = predicted ? double(tp) / predicted : 1, r = double(tp) / true_pairs;
  std::printf(
      "records %zu  candidates %zu  blocking recall %.4f  P %.4f R %.4f F1 %.4f  "
      "train %.2fs total %.2fs lambda %.3g\n",
      set.size(), pairs.size(), double(blocked_true) / true_pairs, p, r, 2 * p * r / (p + r),
      std::chrono::duration<double>(t1 - t0).count(),
      std::chrono::duration<double>(t2 - t0).count(), model.lambda);
  if (getenv("SHOW_UNBLOCKED")) {
    std::set<std::pair<uint32_t, uint32_t>> blocked;
    for (size_t i = 0; i < pairs.size(); ++i) blocked.insert({pairs.a(i), pairs.b(i)});
    int shown = 0;
    for (auto& [k, g] : groups)
      for (size_t x = 0; x < g.size(); ++x)
        for (size_t y = x + 1; y < g.size(); ++y)
          if (!blocked.count({std::min(g[x], g[y]), std::max(g[x], g[y])}) && shown++ < 30) {
            std::printf("UNBLOCKED\n");
            for (Role role : roles) {
              auto ia = set.id(role, g[x]), ib = set.id(role, g[y]);
              std::printf("   %-14s %-22s %-22s\n", match::role_name(role),
                          ia == match::kNull ? "-" : set.value(role, ia).text.c_str(),
                          ib == match::kNull ? "-" : set.value(role, ib).text.c_str());
            }
          }
  }
  if (verbose) {
    // false negatives / positives with their scores
    int shown = 0;
    for (size_t i = 0; i < pairs.size() && shown < 40; ++i) {
      uint32_t a = pairs.a(i), b = pairs.b(i);
      bool same = entity[a] == entity[b];
      bool linked = clustering.cluster_id[a] == clustering.cluster_id[b];
      if (same != linked) {
        double w = scorer.match_weight(a, b);
        std::printf("%s w=%.1f rule=%s\n", same ? "FN" : "FP", w, pairs.rule(i).c_str());
        for (Role role : roles) {
          auto ia = set.id(role, a), ib = set.id(role, b);
          std::printf("   %-14s %-22s %-22s level=%s\n", match::role_name(role),
                      ia == match::kNull ? "-" : set.value(role, ia).text.c_str(),
                      ib == match::kNull ? "-" : set.value(role, ib).text.c_str(),
                      match::comparison_def(role).levels[match::compare(set, role, a, b)].c_str());
        }
        ++shown;
      }
    }
  }
}
