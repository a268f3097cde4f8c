#include "core/normalize/email_providers.hpp"

#include <algorithm>
#include <array>

#include "core/no_postgres.hpp"

namespace dedupe::email_providers {
namespace {

template <size_t N>
bool contains(const std::array<std::string_view, N>& sorted, std::string_view v) {
  return std::binary_search(sorted.begin(), sorted.end(), v);
}

// Sorted: looked up with binary_search.
constexpr std::array<std::string_view, 2> kGoogle = {"gmail.com", "googlemail.com"};
constexpr std::array<std::string_view, 26> kPlusTag = {
    "fastmail.com",  "fastmail.fm",   "hotmail.co.uk", "hotmail.com", "hotmail.de", "hotmail.es",
    "hotmail.fr",    "hotmail.it",    "icloud.com",    "live.ca",     "live.co.uk", "live.com",
    "live.de",       "live.fr",       "mac.com",       "me.com",      "msn.com",    "outlook.co.uk",
    "outlook.com",   "outlook.de",    "outlook.es",    "outlook.fr",  "pm.me",      "proton.me",
    "protonmail.ch", "protonmail.com"};
constexpr std::array<std::string_view, 12> kYahoo = {
    "rocketmail.com", "yahoo.ca",     "yahoo.co.in", "yahoo.co.jp", "yahoo.co.uk", "yahoo.com",
    "yahoo.com.au",   "yahoo.com.br", "yahoo.de",    "yahoo.es",    "yahoo.fr",    "ymail.com"};
constexpr std::array<std::string_view, 30> kOtherFreemail = {
    "126.com",     "163.com",     "aim.com",       "aol.com",    "att.net",     "btinternet.com",
    "comcast.net", "free.fr",     "gmx.at",        "gmx.com",    "gmx.de",      "gmx.net",
    "hey.com",     "laposte.net", "libero.it",     "mail.com",   "mail.ru",     "naver.com",
    "orange.fr",   "qq.com",      "sbcglobal.net", "seznam.cz",  "t-online.de", "tutanota.com",
    "verizon.net", "wanadoo.fr",  "web.de",        "yandex.com", "yandex.ru",   "zoho.com"};
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

}  // namespace

Rules rules_for(std::string_view domain) {
  if (contains(kGoogle, domain)) return {true, '+', "gmail.com"};
  if (contains(kPlusTag, domain)) return {false, '+', {}};
  if (contains(kYahoo, domain)) return {false, '-', {}};
  return {};
}

bool is_freemail_domain(std::string_view domain) {
  return contains(kGoogle, domain) || contains(kPlusTag, domain) || contains(kYahoo, domain) ||
         contains(kOtherFreemail, domain);
}

bool is_role_local_part(std::string_view local) { return contains(kRoleLocalParts, local); }

}  // namespace dedupe::email_providers
