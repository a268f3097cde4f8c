#include "core/normalize/email_providers.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <fstream>
#include <mutex>
#include <sstream>
#include <vector>

#include "core/error.hpp"
#include "core/no_postgres.hpp"

namespace dedupe::email_providers {
namespace {

constexpr std::string_view kHeader = "domain,mailbox_domain,dots,tag,provider";

// Sorted: looked up with binary_search.
constexpr std::array<std::string_view, 43> kRoleLocalParts = {
    "abuse",      "accounting", "accounts",   "admin",
    "billing",    "careers",    "contact",    "customerservice",
    "donotreply", "enquiries",  "feedback",   "finance",
    "hello",      "help",       "helpdesk",   "hostmaster",
    "hr",         "info",       "inquiries",  "invoices",
    "jobs",       "legal",      "mail",       "marketing",
    "media",      "newsletter", "no-reply",   "noreply",
    "office",     "orders",     "postmaster", "press",
    "privacy",    "reception",  "recruiting", "sales",
    "security",   "service",    "support",    "team",
    "webmaster",  "welcome",    "www"};

bool plain_domain(std::string_view d) {
  if (d.empty() || d.find('.') == std::string_view::npos) return false;
  return std::all_of(d.begin(), d.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
  });
}

std::vector<std::string_view> split(std::string_view line) {
  std::vector<std::string_view> out;
  for (size_t start = 0;;) {
    const size_t comma = line.find(',', start);
    out.push_back(line.substr(start, comma - start));
    if (comma == std::string_view::npos) return out;
    start = comma + 1;
  }
}

struct Shared {
  std::mutex mutex;
  std::string path =
#ifdef DEDUPE_SOURCE_DIR
      DEDUPE_SOURCE_DIR "/control/data/pg_dedupe_email_providers.csv";
#else
      "";
#endif
  std::unique_ptr<ProviderTable> table;
  // The loaded table without the lock: normalize_email asks for it once per address.
  std::atomic<const ProviderTable*> loaded{nullptr};
};

Shared& shared() {
  static Shared instance;
  return instance;
}

}  // namespace

ProviderTable ProviderTable::from_csv(std::string_view csv) {
  ProviderTable t;
  size_t line_no = 0;
  while (!csv.empty()) {
    const size_t nl = csv.find('\n');
    std::string_view line = csv.substr(0, nl);
    csv.remove_prefix(nl == std::string_view::npos ? csv.size() : nl + 1);
    ++line_no;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (line.empty() || line.front() == '#' || line == kHeader) continue;
    const std::vector<std::string_view> f = split(line);
    auto bad = [&](const std::string& why) {
      return Error(sqlstate::kInvalidTextRepresentation,
                   "malformed line in the email provider table",
                   "line " + std::to_string(line_no) + ": " + why,
                   "expected '" + std::string(kHeader) + "'");
    };
    if (f.size() != 5) throw bad("5 fields expected");
    if (!plain_domain(f[0])) throw bad("domain must be lower-case ASCII with a dot");
    if (!f[1].empty() && !plain_domain(f[1]))
      throw bad("mailbox_domain must be empty or lower-case ASCII with a dot");
    Rules r;
    if (f[2] == "ignored")
      r.dots = Dots::kIgnored;
    else if (f[2] == "hyphen")
      r.dots = Dots::kHyphen;
    else if (f[2] != "kept")
      throw bad("dots must be kept, ignored or hyphen");
    if (f[3] == "+" || f[3] == "-")
      r.subaddress_separator = f[3][0];
    else if (!f[3].empty())
      throw bad("tag must be '+', '-' or empty");
    if (f[1] != f[0]) r.canonical_domain = std::string(f[1]);
    if (!t.rules_.emplace(std::string(f[0]), std::move(r)).second) throw bad("duplicate domain");
  }
  return t;
}

ProviderTable ProviderTable::from_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw Error(sqlstate::kInternalError, "could not read the email provider table", path,
                "reinstall pg_dedupe: the file ships in the extension directory");
  std::ostringstream content;
  content << in.rdbuf();
  return from_csv(content.str());
}

const Rules* ProviderTable::find(const std::string& domain) const {
  const auto it = rules_.find(domain);
  return it == rules_.end() ? nullptr : &it->second;
}

void set_table_path(std::string path) {
  Shared& s = shared();
  std::lock_guard<std::mutex> lock(s.mutex);
  if (s.path != path) {
    s.loaded.store(nullptr, std::memory_order_release);
    s.table.reset();
  }
  s.path = std::move(path);
}

const ProviderTable& table() {
  Shared& s = shared();
  if (const ProviderTable* t = s.loaded.load(std::memory_order_acquire)) return *t;
  std::lock_guard<std::mutex> lock(s.mutex);
  if (!s.table) {
    if (s.path.empty())
      throw Error(sqlstate::kInternalError, "the email provider table location is not set");
    s.table = std::make_unique<ProviderTable>(ProviderTable::from_file(s.path));
  }
  s.loaded.store(s.table.get(), std::memory_order_release);
  return *s.table;
}

bool is_freemail_domain(const std::string& domain) { return table().find(domain) != nullptr; }

bool is_role_local_part(std::string_view local) {
  return std::binary_search(kRoleLocalParts.begin(), kRoleLocalParts.end(), local);
}

}  // namespace dedupe::email_providers
