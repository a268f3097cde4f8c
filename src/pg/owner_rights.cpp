#include "pg/owner_rights.hpp"

extern "C" {
#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
}

namespace dedupe::pg {
namespace {

// The owner of dedupe.audit_log is the extension's owner (the role that created it).
Oid extension_owner() {
  return pg_call([] {
    Oid nsp = get_namespace_oid("dedupe", false);
    Oid rel = get_relname_relid("audit_log", nsp);
    if (!OidIsValid(rel)) elog(ERROR, "pg_dedupe: dedupe.audit_log is missing");
    HeapTuple tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(rel));
    if (!HeapTupleIsValid(tuple)) elog(ERROR, "cache lookup failed for relation %u", rel);
    Oid owner = ((Form_pg_class)GETSTRUCT(tuple))->relowner;
    ReleaseSysCache(tuple);
    return owner;
  });
}

}  // namespace

std::string current_role_name() {
  return pg_call([] { return GetUserNameFromId(GetUserId(), false); });
}

OwnerRights::OwnerRights() {
  GetUserIdAndSecContext(&saved_user_, &saved_security_context_);
  actor_ = pg_call([&] { return GetUserNameFromId(saved_user_, false); });
  Oid owner = extension_owner();
  SetUserIdAndSecContext(owner, saved_security_context_ | SECURITY_LOCAL_USERID_CHANGE);
}

OwnerRights::~OwnerRights() { SetUserIdAndSecContext(saved_user_, saved_security_context_); }

}  // namespace dedupe::pg
