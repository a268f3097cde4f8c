#include "core/normalize/nicknames.hpp"

#include <algorithm>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>

#include "core/error.hpp"
#include "core/normalize/name.hpp"
#include "core/no_postgres.hpp"

namespace dedupe {
namespace {

std::string_view trim_cr(std::string_view line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
  return line;
}

}  // namespace

NicknameTable NicknameTable::from_csv(std::string_view csv) {
  NicknameTable table;
  size_t line_no = 0;
  while (!csv.empty()) {
    const size_t nl = csv.find('\n');
    std::string_view line = trim_cr(csv.substr(0, nl));
    csv.remove_prefix(nl == std::string_view::npos ? csv.size() : nl + 1);
    ++line_no;
    if (line.empty()) continue;
    if (line_no == 1 && line == "name1,relationship,name2") continue;
    const size_t c1 = line.find(',');
    const size_t c2 = c1 == std::string_view::npos ? c1 : line.find(',', c1 + 1);
    if (c2 == std::string_view::npos || line.find(',', c2 + 1) != std::string_view::npos ||
        line.substr(c1 + 1, c2 - c1 - 1) != "has_nickname")
      throw Error(sqlstate::kInvalidTextRepresentation, "malformed line in the nickname table",
                  "line " + std::to_string(line_no) + ": " + std::string(line),
                  "expected 'name,has_nickname,nickname'");
    // Keys are stored in the same form canonical() is asked about ("k.c." -> "k c").
    std::string name = normalize_name(line.substr(0, c1));
    std::string nick = normalize_name(line.substr(c2 + 1));
    if (name.empty() || nick.empty() || name == nick) continue;
    ++table.canonical_[name];
    std::vector<std::string>& names = table.expansions_[nick];
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  table.choose_canonical();
  return table;
}

NicknameTable NicknameTable::from_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw Error(sqlstate::kInternalError, "could not read the nickname table", path,
                "reinstall pg_dedupe: the file ships in the extension directory");
  std::ostringstream content;
  content << in.rdbuf();
  return from_csv(content.str());
}

// The rule for a nickname of several names (557 of them in the shipped table, 'al' has 14):
//  1. candidates are the names that list it as a nickname; when the name is itself a
//     canonical name in the table, only candidates longer than it count ('bob' -> 'robert',
//     but 'michael' stays although 'miguel' lists it, and 'william' although 'wilma' does);
//  2. no candidate: the name stays itself;
//  3. otherwise the candidate with the most nicknames in the table wins (a proxy for how
//     common it is); ties go to the longer (fuller) name, then the alphabetically first.
// Each answer is computed once here, so canonical() is one hash lookup.
void NicknameTable::choose_canonical() {
  for (auto& [nick, names] : expansions_) {
    std::sort(names.begin(), names.end());
    const bool is_canonical = canonical_.count(nick) > 0;
    const std::string* best = nullptr;
    size_t best_count = 0;
    for (const std::string& name : names) {
      if (is_canonical && name.size() <= nick.size()) continue;
      const size_t count = canonical_.at(name);
      if (!best || count > best_count || (count == best_count && name.size() > best->size()))
        best = &name, best_count = count;
    }
    if (best) chosen_.emplace(nick, *best);
  }
}

std::string NicknameTable::canonical(std::string_view normalized) const {
  auto it = chosen_.find(std::string(normalized));
  return it == chosen_.end() ? std::string(normalized) : it->second;
}

std::vector<std::string> NicknameTable::variants(std::string_view normalized) const {
  const std::string key(normalized);
  std::vector<std::string> out{canonical(key)};
  auto add = [&](const std::string& name) {
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  };
  if (canonical_.count(key)) add(key);
  if (auto it = expansions_.find(key); it != expansions_.end())
    for (const std::string& name : it->second) add(name);
  std::sort(out.begin() + 1, out.end());
  return out;
}

namespace {

struct SharedTable {
  std::mutex mutex;
  std::string path;
  std::unique_ptr<NicknameTable> table;
};

SharedTable& shared() {
  static SharedTable instance;
  return instance;
}

}  // namespace

void set_nickname_table_path(std::string path) {
  SharedTable& s = shared();
  std::lock_guard<std::mutex> lock(s.mutex);
  if (s.path != path) s.table.reset();
  s.path = std::move(path);
}

const NicknameTable& nickname_table() {
  SharedTable& s = shared();
  std::lock_guard<std::mutex> lock(s.mutex);
  if (!s.table) {
    if (s.path.empty())
      throw Error(sqlstate::kInternalError, "the nickname table location is not set");
    s.table = std::make_unique<NicknameTable>(NicknameTable::from_file(s.path));
  }
  return *s.table;
}

std::string canonical_first_name(std::string_view utf8) {
  return nickname_table().canonical(normalize_name(utf8));
}

std::vector<std::string> first_name_variants(std::string_view utf8) {
  return nickname_table().variants(normalize_name(utf8));
}

}  // namespace dedupe
