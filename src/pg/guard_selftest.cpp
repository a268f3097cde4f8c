// dedupe._guard_selftest(kind): proves the boundary guards from SQL. Each kind fails in a
// different way while a C++ object with a destructor is alive; the destructor count shows
// that C++ frames were unwound before PostgreSQL saw the error.
#include "pg/datum_io.hpp"

#include <new>
#include <stdexcept>
#include <string>

extern "C" {
#include "utils/builtins.h"
}

namespace {

int64 destructors_run = 0;

struct Sentinel {
  std::string payload = std::string(64, 'x');  // heap memory that must be released
  ~Sentinel() { ++destructors_run; }
};

}  // namespace

DEDUPE_FUNCTION(dedupe_guard_selftest) {
  std::string kind(dedupe::pg::text_arg(fcinfo, 0));
  if (kind == "destructors") return Int64GetDatum(destructors_run);

  Sentinel alive;
  if (kind == "dedupe_error")
    throw dedupe::Error(dedupe::sqlstate::kInvalidParameterValue, "selftest: dedupe::Error",
                        "thrown from C++", "this is the hint");
  if (kind == "std_exception") throw std::runtime_error("selftest: std::runtime_error");
  if (kind == "bad_alloc") throw std::bad_alloc();
  if (kind == "unknown") throw 42;
  if (kind == "pg_error") {
    // A PostgreSQL error (division by zero, 22012) raised inside pg_call() travels through
    // C++ as PgError and reaches the client with its original SQLSTATE.
    dedupe::pg::pg_call(
        [] { return DirectFunctionCall2(int4div, Int32GetDatum(1), Int32GetDatum(0)); });
  }
  if (kind == "pg_call_throws") {
    // A C++ exception from inside pg_call(), thrown while the lambda has an error context
    // callback pushed: both of PostgreSQL's error stacks must be back as they were, or the
    // session's next ERROR jumps into (or calls back into) this dead frame.
    dedupe::pg::ErrorStackScope before;
    try {
      dedupe::pg::pg_call([] {
        ErrorContextCallback callback{error_context_stack, [](void*) {}, nullptr};
        error_context_stack = &callback;
        throw std::runtime_error("selftest: thrown inside pg_call");
      });
    } catch (const std::runtime_error&) {
    }
    if (!before.intact())
      throw dedupe::Error(
          dedupe::sqlstate::kInternalError,
          "selftest: pg_call left PostgreSQL's error stack pointing into a dead frame");
    return Int64GetDatum(1);
  }
  if (kind == "ok") return Int64GetDatum(0);
  throw dedupe::Error(
      dedupe::sqlstate::kInvalidParameterValue, "unknown selftest kind: " + kind, {},
      "use dedupe_error, std_exception, bad_alloc, unknown, pg_error, pg_call_throws, ok or "
      "destructors");
}
