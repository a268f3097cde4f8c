#include "pg/match_key_call.hpp"

extern "C" {
#include "catalog/pg_type.h"
#include "nodes/makefuncs.h"
#include "nodes/pg_list.h"
#include "nodes/value.h"
#include "parser/parse_func.h"
#include "utils/builtins.h"
#include "utils/inval.h"
#include "utils/memutils.h"
#include "utils/syscache.h"
}

namespace dedupe::pg {
namespace {

// The constructor's fmgr info, looked up once and forgotten whenever pg_proc changes (the
// extension may be dropped and created again in this backend).
FmgrInfo constructor;
bool constructor_valid = false;
bool invalidation_registered = false;

extern "C" void forget_constructor(Datum, int, uint32) noexcept { constructor_valid = false; }

FmgrInfo& match_key_constructor() {
  if (constructor_valid) return constructor;
  pg_call([] {
    if (!invalidation_registered) {
      CacheRegisterSyscacheCallback(PROCOID, forget_constructor, 0);
      invalidation_registered = true;
    }
    Oid argtypes[4] = {TEXTOID, TEXTOID, TEXTOID, TEXTOID};
    List* name = list_make2(makeString(pstrdup("dedupe")), makeString(pstrdup("match_key")));
    Oid fn = LookupFuncName(name, 4, argtypes, false);
    fmgr_info_cxt(fn, &constructor, TopMemoryContext);
  });
  constructor_valid = true;
  return constructor;
}

}  // namespace

KeyDatum build_match_key(const std::optional<std::string>& external_id,
                         const std::optional<std::string>& phone,
                         const std::optional<std::string>& email) {
  if (!external_id && !phone && !email) return {};
  FmgrInfo& fn = match_key_constructor();
  const std::optional<std::string>* args[3] = {&external_id, &phone, &email};
  return pg_call([&] {
    LOCAL_FCINFO(fcinfo, 4);
    InitFunctionCallInfoData(*fcinfo, &fn, 4, InvalidOid, nullptr, nullptr);
    for (int i = 0; i < 3; ++i) {
      fcinfo->args[i].isnull = !args[i]->has_value();
      fcinfo->args[i].value = fcinfo->args[i].isnull
                                  ? Datum(0)
                                  : PointerGetDatum(cstring_to_text_with_len(
                                        (*args[i])->data(), static_cast<int>((*args[i])->size())));
    }
    // Phones are already E.164 here, so the default region never applies.
    fcinfo->args[3].value = CStringGetTextDatum("US");
    fcinfo->args[3].isnull = false;
    KeyDatum key;
    if (fn.fn_strict &&
        (fcinfo->args[0].isnull || fcinfo->args[1].isnull || fcinfo->args[2].isnull)) {
      elog(ERROR, "dedupe.match_key() must accept NULL components");
    }
    key.value = FunctionCallInvoke(fcinfo);
    key.isnull = fcinfo->isnull;
    return key;
  });
}

}  // namespace dedupe::pg
