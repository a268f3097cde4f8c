// The C++ / PostgreSQL boundary. The only place in pg_dedupe that touches sigsetjmp or
// PG_exception_stack. Two guards:
//
//  * call_cpp(): every SQL-callable entry point runs its C++ body through it. Exceptions
//    are caught, the C++ frames unwind, and only then is the PostgreSQL error raised, with
//    the SQLSTATE the exception carries.
//  * pg_call(): C++ code that holds live destructors calls PostgreSQL (palloc, SPI,
//    detoasting, DirectFunctionCall, CHECK_FOR_INTERRUPTS) through it. A PostgreSQL error
//    is caught at our own jump buffer, copied, flushed and rethrown as PgError, so the C++
//    frames between here and call_cpp() unwind normally; call_cpp() re-raises it intact.
#pragma once

extern "C" {
#include "postgres.h"

#include "fmgr.h"
#include "miscadmin.h"
}

#include <exception>
#include <new>
#include <type_traits>
#include <utility>

#include "core/error.hpp"

namespace dedupe::pg {

// A PostgreSQL error in flight through C++ frames. Holds a palloc'd copy of ErrorData
// (trivially destructible pointer), re-raised unchanged by call_cpp().
class PgError : public std::exception {
 public:
  explicit PgError(ErrorData* data) : data_(data) {}
  const char* what() const noexcept override { return data_->message ? data_->message : "error"; }
  ErrorData* data() const noexcept { return data_; }

 private:
  ErrorData* data_;
};

// What call_cpp() keeps of a C++ exception while the frames unwind: fixed buffers, no heap,
// so nothing is left to destroy when ereport() longjmps away.
struct CapturedError {
  int sqlstate = 0;
  ErrorData* pg_error = nullptr;
  char message[1024] = {0};
  char detail[1024] = {0};
  char hint[512] = {0};
};

void capture(CapturedError& out, const dedupe::Error& e) noexcept;
void capture(CapturedError& out, int sqlstate, const char* message) noexcept;
[[noreturn]] void raise(const CapturedError& error);

// Runs fn() and returns its result; any exception becomes a PostgreSQL ERROR after the
// C++ frames inside fn are gone. fn must not itself call ereport-capable PostgreSQL
// functions while it holds objects with destructors, except through pg_call().
template <typename Fn>
auto call_cpp(Fn&& fn) -> decltype(fn()) {
  CapturedError error;
  try {
    return fn();
  } catch (const PgError& e) {
    error.pg_error = e.data();
  } catch (const dedupe::Error& e) {
    capture(error, e);
  } catch (const std::bad_alloc&) {
    capture(error, ERRCODE_OUT_OF_MEMORY, "out of memory in pg_dedupe");
  } catch (const std::exception& e) {
    capture(error, ERRCODE_INTERNAL_ERROR, e.what());
  } catch (...) {
    capture(error, ERRCODE_INTERNAL_ERROR, "unknown C++ exception in pg_dedupe");
  }
  raise(error);
}

// Restores PostgreSQL's error-handling globals when the scope ends, whichever way: a normal
// return, a longjmp back to our buffer, or a C++ exception thrown by the code inside (as
// pg_duckdb's PostgresFunctionGuard does). Without it a throwing lambda left
// PG_exception_stack pointing into a dead frame, and the next ERROR jumped there.
class ErrorStackScope {
 public:
  ErrorStackScope() noexcept : stack_(PG_exception_stack), context_(error_context_stack) {}
  ~ErrorStackScope() {
    PG_exception_stack = stack_;
    error_context_stack = context_;
  }
  // True while the globals still hold what they held when the scope began (the self-test).
  bool intact() const noexcept {
    return PG_exception_stack == stack_ && error_context_stack == context_;
  }
  ErrorStackScope(const ErrorStackScope&) = delete;
  ErrorStackScope& operator=(const ErrorStackScope&) = delete;

 private:
  sigjmp_buf* stack_;
  ErrorContextCallback* context_;
};

// After a PostgreSQL error reached pg_call()'s buffer: copies it in `context` (guarded, so
// running out of memory while copying becomes std::bad_alloc), flushes it and throws PgError.
[[noreturn]] void rethrow_pg_error(MemoryContext context);

// Runs PostgreSQL code from C++. fn must be a thin lambda over PostgreSQL calls that owns
// no C++ objects with destructors itself. Returns fn's result or throws PgError; a C++
// exception from fn passes through with the error stack restored.
template <typename Fn>
auto pg_call(Fn&& fn) -> decltype(fn()) {
  using Result = decltype(fn());
  MemoryContext caller_context = CurrentMemoryContext;
  std::conditional_t<std::is_void_v<Result>, int, Result> result{};
  bool failed = false;
  {
    ErrorStackScope scope;
    sigjmp_buf local;
    if (sigsetjmp(local, 0) == 0) {
      PG_exception_stack = &local;
      if constexpr (std::is_void_v<Result>) {
        fn();
      } else {
        result = fn();
      }
    } else {
      failed = true;
    }
  }
  if (failed) rethrow_pg_error(caller_context);
  if constexpr (!std::is_void_v<Result>) return result;
}

// Lets a long C++ loop honour Ctrl-C and statement_timeout; cancellation unwinds C++.
inline void check_for_interrupts() {
  pg_call([] { CHECK_FOR_INTERRUPTS(); });
}

}  // namespace dedupe::pg

// Declares an SQL-callable function whose body is C++ run through call_cpp().
//   DEDUPE_FUNCTION(normalize_email) { ... return some_datum; }
#define DEDUPE_FUNCTION(name)                                                \
  static Datum name##_body(FunctionCallInfo fcinfo);                         \
  extern "C" {                                                               \
  PG_FUNCTION_INFO_V1(name);                                                 \
  Datum name(PG_FUNCTION_ARGS) {                                             \
    return dedupe::pg::call_cpp([fcinfo]() { return name##_body(fcinfo); }); \
  }                                                                          \
  }                                                                          \
  static Datum name##_body(FunctionCallInfo fcinfo)
