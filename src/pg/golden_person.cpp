#include "pg/golden_person.hpp"

#include "core/golden/decide.hpp"
#include "core/normalize/record.hpp"
#include "pg/datum_io.hpp"
#include "pg/spi_session.hpp"

namespace dedupe::pg {

golden::Person person_args(FunctionCallInfo fcinfo, int first) {
  auto arg = [&](int i) -> std::optional<std::string> {
    if (PG_ARGISNULL(first + i)) return std::nullopt;
    return std::string(text_arg(fcinfo, first + i));
  };
  return golden::Person{arg(0), arg(1), arg(2), arg(3), arg(4), arg(5), arg(6), {}};
}

golden::Person person_args(FunctionCallInfo fcinfo, int first, int roles) {
  golden::Person p = person_args(fcinfo, first);
  if (!PG_ARGISNULL(roles))
    p.more = golden::more_roles(decode_more_roles(std::string(text_arg(fcinfo, roles))));
  return p;
}

golden::Person person_at_row(uint64 row, int first_column, int roles_column) {
  golden::Person p{SpiRows::text(row, first_column),     SpiRows::text(row, first_column + 1),
                   SpiRows::text(row, first_column + 2), SpiRows::text(row, first_column + 3),
                   SpiRows::text(row, first_column + 4), SpiRows::text(row, first_column + 5),
                   SpiRows::text(row, first_column + 6), {}};
  if (const std::optional<std::string> roles = SpiRows::text(row, roles_column))
    p.more = golden::more_roles(decode_more_roles(*roles));
  return p;
}

}  // namespace dedupe::pg
