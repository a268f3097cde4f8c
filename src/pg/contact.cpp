// SQL entry points of the contact normalizers: emails, phones, domains.
#include "core/normalize/domain.hpp"
#include "core/normalize/email.hpp"
#include "core/normalize/email_providers.hpp"
#include "core/normalize/phone.hpp"
#include "pg/datum_io.hpp"

using dedupe::pg::text_arg;
using dedupe::pg::text_datum;

namespace {

// The provider table ships in the extension directory, like the nickname table (see
// nicknames.cpp for why computing the path while the library loads is safe).
const bool email_provider_path_registered = [] {
  char share[MAXPGPATH];
  get_share_path(my_exec_path, share);
  dedupe::email_providers::set_table_path(std::string(share) +
                                          "/extension/pg_dedupe_email_providers.csv");
  return true;
}();

}  // namespace

DEDUPE_FUNCTION(dedupe_normalize_email) {
  return text_datum(dedupe::normalize_email(text_arg(fcinfo, 0)));
}

DEDUPE_FUNCTION(dedupe_is_valid_email) {
  return BoolGetDatum(dedupe::is_valid_email(text_arg(fcinfo, 0)));
}

DEDUPE_FUNCTION(dedupe_email_domain) {
  return text_datum(dedupe::email_domain(text_arg(fcinfo, 0)));
}

DEDUPE_FUNCTION(dedupe_is_freemail) {
  return BoolGetDatum(dedupe::is_freemail(text_arg(fcinfo, 0)));
}

DEDUPE_FUNCTION(dedupe_is_role_email) {
  return BoolGetDatum(dedupe::is_role_email(text_arg(fcinfo, 0)));
}

DEDUPE_FUNCTION(dedupe_normalize_phone) {
  return text_datum(dedupe::normalize_phone(text_arg(fcinfo, 0), text_arg(fcinfo, 1)));
}

DEDUPE_FUNCTION(dedupe_is_valid_phone) {
  return BoolGetDatum(dedupe::is_valid_phone(text_arg(fcinfo, 0), text_arg(fcinfo, 1)));
}

DEDUPE_FUNCTION(dedupe_phone_type) {
  return text_datum(dedupe::phone_type(text_arg(fcinfo, 0), text_arg(fcinfo, 1)));
}

DEDUPE_FUNCTION(dedupe_phone_region) {
  return text_datum(dedupe::phone_region(text_arg(fcinfo, 0), text_arg(fcinfo, 1)));
}

DEDUPE_FUNCTION(dedupe_phone_extension) {
  const std::string extension = dedupe::phone_extension(text_arg(fcinfo, 0), text_arg(fcinfo, 1));
  if (extension.empty()) {
    fcinfo->isnull = true;
    return Datum(0);
  }
  return text_datum(extension);
}

DEDUPE_FUNCTION(dedupe_libphonenumber_version) {
  return text_datum(dedupe::libphonenumber_version());
}

DEDUPE_FUNCTION(dedupe_normalize_domain) {
  return text_datum(dedupe::normalize_domain(text_arg(fcinfo, 0)));
}
