// Included last by every src/core translation unit: the core must never see postgres.h,
// whose macros (Max, Min, ERROR, LOG) break ICU, abseil and protobuf headers.
#pragma once

#ifdef POSTGRES_H
static_assert(false, "src/core must not include postgres.h; talk to it through src/pg");
#endif
