// bytea arguments and results as standard C++ bytes, behind pg_call() like datum_io.hpp.
#pragma once

#include <string_view>

#include "pg/guard.hpp"

namespace dedupe::pg {

// The bytes of a bytea argument (detoasted, valid for the rest of the call).
std::string_view bytea_arg(FunctionCallInfo fcinfo, int n);

// A palloc'd bytea datum holding the bytes.
Datum bytea_datum(std::string_view bytes);

}  // namespace dedupe::pg
