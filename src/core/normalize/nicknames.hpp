// Nickname canonicalization: 'Bob', 'Rob', 'Bobby' -> 'robert', from the nickname table of
// github.com/carltonnorthern/nicknames (Apache-2.0), shipped as control/data/nicknames.csv.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace dedupe {

// The parsed table. Keys and values are normalize_name() forms.
class NicknameTable {
 public:
  // Parses CSV text with header 'name1,relationship,name2' (LF or CRLF). Throws
  // dedupe::Error (22P02) on a malformed line.
  static NicknameTable from_csv(std::string_view csv);
  // Reads and parses a file; throws dedupe::Error (XX000) if it cannot be read.
  static NicknameTable from_file(const std::string& path);

  // The canonical given name for an already normalized name (see nicknames.cpp for the
  // rule when a nickname belongs to several names); the input itself when unknown.
  std::string canonical(std::string_view normalized) const;
  // Every canonical name the normalized name may stand for, sorted, the canonical() result
  // first; just the input when unknown.
  std::vector<std::string> variants(std::string_view normalized) const;

  size_t canonical_count() const { return canonical_.size(); }
  size_t nickname_count() const { return expansions_.size(); }

 private:
  void choose_canonical();

  std::unordered_map<std::string, std::vector<std::string>> expansions_;  // nickname -> names
  std::unordered_map<std::string, size_t> canonical_;    // canonical name -> nickname count
  std::unordered_map<std::string, std::string> chosen_;  // nickname -> canonical() answer
};

// Where the process-wide table is read from (the PostgreSQL layer sets the extension's share
// directory when the library loads). Must be set before the first call below.
void set_nickname_table_path(std::string path);
// The process-wide table, read once on first use; throws dedupe::Error if unreadable.
const NicknameTable& nickname_table();

// normalize_name() then the process-wide table: 'Bobby' -> 'robert', 'Zofie' -> 'zofie'.
std::string canonical_first_name(std::string_view utf8);
std::vector<std::string> first_name_variants(std::string_view utf8);

}  // namespace dedupe
