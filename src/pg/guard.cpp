#include "pg/guard.hpp"

#include <cstring>

namespace dedupe::pg {
namespace {

void copy_bounded(char* dst, size_t size, const char* src) noexcept {
  if (!src) return;
  size_t n = std::strlen(src);
  if (n >= size) {
    n = size - 1;
    // Never cut a UTF-8 character in half: back off over continuation bytes (10xxxxxx) to
    // the start of the character that did not fit.
    while (n > 0 && (static_cast<unsigned char>(src[n]) & 0xC0) == 0x80) --n;
  }
  std::memcpy(dst, src, n);
  dst[n] = '\0';
}

}  // namespace

void capture(CapturedError& out, const dedupe::Error& e) noexcept {
  const char* s = e.sqlstate();
  out.sqlstate = MAKE_SQLSTATE(s[0], s[1], s[2], s[3], s[4]);
  copy_bounded(out.message, sizeof out.message, e.what());
  copy_bounded(out.detail, sizeof out.detail, e.detail().c_str());
  copy_bounded(out.hint, sizeof out.hint, e.hint().c_str());
}

void capture(CapturedError& out, int sqlstate, const char* message) noexcept {
  out.sqlstate = sqlstate;
  copy_bounded(out.message, sizeof out.message, message);
}

void raise(const CapturedError& error) {
  if (error.pg_error) ReThrowError(error.pg_error);
  ereport(ERROR, (errcode(error.sqlstate), errmsg_internal("%s", error.message),
                  error.detail[0] ? errdetail_internal("%s", error.detail) : 0,
                  error.hint[0] ? errhint("%s", error.hint) : 0));
  pg_unreachable();
}

void rethrow_pg_error(MemoryContext context) {
  MemoryContextSwitchTo(context);
  ErrorData* volatile data = nullptr;  // assigned after sigsetjmp, read after a longjmp
  {
    ErrorStackScope scope;
    sigjmp_buf local;
    if (sigsetjmp(local, 0) == 0) {
      PG_exception_stack = &local;
      data = CopyErrorData();
    }
  }
  FlushErrorState();  // the original error, and a second one from CopyErrorData if any
  if (!data) throw std::bad_alloc();
  throw PgError(data);
}

}  // namespace dedupe::pg
