// What mailbox providers do with the local part: the facts normalize_email relies on. They are
// data, not code: control/data/pg_dedupe_email_providers.csv (installed in the extension
// directory) lists every free-mail domain, the domain its mailboxes are known by, and what
// the provider ignores in a local part. Columns:
//   domain          ASCII, lower-case (punycode for IDNs)
//   mailbox_domain  the domain the same mailbox is known by, empty for the domain itself;
//                   only where one account answers under each domain (googlemail -> gmail)
//   dots            kept | ignored (Gmail: j.o.h.n == john) | hyphen ('.' and '-' are one
//                   character: Yandex logins)
//   tag             the sub-address separator ('+', Yahoo's '-'), empty for none
//   provider        who runs it (documentation only)
// Lines starting with '#' are comments.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

namespace dedupe::email_providers {

enum class Dots { kKept, kIgnored, kHyphen };

struct Rules {
  Dots dots = Dots::kKept;
  char subaddress_separator = 0;  // 0 for none
  std::string canonical_domain;   // empty keeps the domain
};

class ProviderTable {
 public:
  // Throws dedupe::Error (22P02) naming the line on a malformed row.
  static ProviderTable from_csv(std::string_view csv);
  // Throws dedupe::Error (XX000) if the file cannot be read.
  static ProviderTable from_file(const std::string& path);

  // The rules of an ASCII, lower-case domain; null for a domain the table does not list.
  const Rules* find(const std::string& domain) const;
  size_t size() const { return rules_.size(); }

 private:
  std::unordered_map<std::string, Rules> rules_;
};

// Where the process-wide table is read from. The PostgreSQL layer sets the extension's share
// directory when the library loads; builds of the core alone (tests, fuzzers, benchmarks)
// default to the source tree's copy.
void set_table_path(std::string path);
// The process-wide table, read once on first use; throws dedupe::Error if unreadable.
const ProviderTable& table();

// Every domain in the table is a consumer (free-mail) domain.
bool is_freemail_domain(const std::string& domain);

// Local parts that name a team mailbox rather than a person (before any +tag).
bool is_role_local_part(std::string_view local);

}  // namespace dedupe::email_providers
