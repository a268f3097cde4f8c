// dedupe.canonical_first_name(text) and dedupe.first_name_variants(text). The nickname table
// ships in the extension directory; its location is registered with the core when the
// library loads, so C++ callers elsewhere in the backend can use the core API directly.
#include "pg/datum_io.hpp"

#include <string>

#include "core/normalize/nicknames.hpp"

namespace {

// my_exec_path is set before any library is loaded; get_share_path() only computes a path
// (no allocation, no ereport), so this is safe while the library is being loaded.
const bool nickname_path_registered = [] {
  char share[MAXPGPATH];
  get_share_path(my_exec_path, share);
  dedupe::set_nickname_table_path(std::string(share) + "/extension/pg_dedupe_nicknames.csv");
  return true;
}();

}  // namespace

DEDUPE_FUNCTION(dedupe_canonical_first_name) {
  return dedupe::pg::text_datum(dedupe::canonical_first_name(dedupe::pg::text_arg(fcinfo, 0)));
}

DEDUPE_FUNCTION(dedupe_first_name_variants) {
  return dedupe::pg::text_array_datum(dedupe::first_name_variants(dedupe::pg::text_arg(fcinfo, 0)));
}
