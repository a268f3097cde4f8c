#include "pg/batch_run.hpp"

#include <array>
#include <chrono>
#include <climits>
#include <cstdio>
#include <memory>

#include "core/error.hpp"
#include "pg/spi_session.hpp"

extern "C" {
#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
}

namespace dedupe::pg {
namespace {

int max_pairs_setting = 20000000;
int progress_interval_setting = 5;

constexpr long kFetchRows = 10000;

std::string trimmed_lower_prefix(const std::string& s, size_t n) {
  size_t i = 0;
  while (i < s.size() && isspace(static_cast<unsigned char>(s[i]))) ++i;
  std::string out;
  for (; i < s.size() && out.size() < n; ++i) out.push_back(static_cast<char>(tolower(s[i])));
  return out;
}

bool is_query(const std::string& source) {
  const std::string head = trimmed_lower_prefix(source, 7);
  if (!head.empty() && head[0] == '(') return true;
  for (const char* keyword : {"select", "with", "values", "table"}) {
    const size_t n = strlen(keyword);
    if (head.compare(0, n, keyword) == 0 &&
        (head.size() == n || (!isalnum(static_cast<unsigned char>(head[n])) && head[n] != '_')))
      return true;
  }
  return false;
}

std::string quoted(const std::string& identifier) {
  return pg_call([&] { return std::string(quote_identifier(identifier.c_str())); });
}

// The source's FROM item: a query in parentheses, or the table name as regclass prints it.
std::string from_item(const std::string& source) {
  if (is_query(source)) return "(" + source + ")";
  char* name = pg_call([&] {
    Oid argtypes[1] = {TEXTOID};
    Datum args[1] = {CStringGetTextDatum(source.c_str())};
    SPI_execute_with_args("SELECT $1::pg_catalog.regclass::pg_catalog.text", 1, argtypes, args,
                          nullptr, true, 1);
    return SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
  });
  return name;
}

// One column value as the core wants it: a view of its text, valid until the rows'
// memory context is reset. Plain data only, so it can be filled inside pg_call().
struct Cell {
  const char* data;
  int length;
  bool null;
};

}  // namespace

void define_batch_settings() {
  DefineCustomIntVariable(
      "dedupe.batch_max_pairs",
      "Most candidate pairs one dedupe.cluster / dedupe.candidate_pairs call may hold in memory.",
      "Each pair takes 8 bytes (16 while sorting); beyond the limit the call fails with 54000.",
      &max_pairs_setting, 20000000, 1000, INT_MAX, PGC_USERSET, 0, nullptr, nullptr, nullptr);
  DefineCustomIntVariable("dedupe.progress_interval",
                          "Seconds between progress NOTICEs of batch matching functions.",
                          "0 turns them off.", &progress_interval_setting, 5, 0, 86400, PGC_USERSET,
                          GUC_UNIT_S, nullptr, nullptr, nullptr);
}

int batch_max_pairs() { return max_pairs_setting; }

match::RunControl batch_run_control(const char* function_name) {
  struct State {
    std::string function;
    std::chrono::steady_clock::time_point start, last;
  };
  auto state = std::make_shared<State>();
  state->function = function_name;
  state->start = state->last = std::chrono::steady_clock::now();
  match::RunControl control;
  control.check_interrupt = [] { check_for_interrupts(); };
  control.progress = [state](const match::Progress& p) {
    const int interval = progress_interval_setting;
    if (interval <= 0) return;
    const auto now = std::chrono::steady_clock::now();
    const auto period = std::chrono::seconds(interval);
    if (p.final ? now - state->start < period : now - state->last < period) return;
    state->last = now;
    const double seconds = std::chrono::duration<double>(now - state->start).count();
    char message[256];
    if (p.final) {
      snprintf(message, sizeof message,
               "%s: done, %llu rows, %llu candidate pairs, %llu clusters, %.1f s",
               state->function.c_str(), static_cast<unsigned long long>(p.rows),
               static_cast<unsigned long long>(p.pairs),
               static_cast<unsigned long long>(p.clusters), seconds);
    } else {
      snprintf(message, sizeof message, "%s: %s, %llu rows, %llu pairs%s%s, %.1f s",
               state->function.c_str(), p.stage, static_cast<unsigned long long>(p.rows),
               static_cast<unsigned long long>(p.pairs), p.clusters ? ", clusters: " : "",
               p.clusters ? std::to_string(p.clusters).c_str() : "", seconds);
    }
    pg_call([&] { ereport(NOTICE, (errmsg("%s", message))); });
  };
  return control;
}

BatchSource batch_source_args(FunctionCallInfo fcinfo) {
  static const char* const names[] = {"source", "id_column", "mapping"};
  for (int i = 0; i < 3; ++i)
    if (PG_ARGISNULL(i)) throw Error("22004", std::string(names[i]) + " must not be NULL");
  BatchSource out;
  out.source = pg_call([&] { return TextDatumGetCString(PG_GETARG_DATUM(0)); });
  out.id_column = NameStr(*PG_GETARG_NAME(1));
  out.mapping = PG_GETARG_DATUM(2);
  return out;
}

BatchMapping read_mapping(Datum jsonb) {
  Oid argtypes[1] = {JSONBOID};
  Datum args[1] = {jsonb};
  char* kind = pg_call([&] {
    SPI_execute_with_args("SELECT pg_catalog.jsonb_typeof($1)", 1, argtypes, args, nullptr, true,
                          1);
    return SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
  });
  const std::string hint =
      "give role: column pairs such as {\"first_name\": \"given_name\"}; roles are " +
      match::role_names();
  if (std::string(kind) != "object")
    throw Error(sqlstate::kInvalidParameterValue,
                "mapping must be a JSON object of role: column pairs, not " + std::string(kind), {},
                hint);
  const uint64 rows = pg_call([&] {
    SPI_execute_with_args(
        "SELECT key, pg_catalog.jsonb_typeof(value), value OPERATOR(pg_catalog.#>>) '{}'"
        " FROM pg_catalog.jsonb_each($1) ORDER BY key",
        1, argtypes, args, nullptr, true, 0);
    return SPI_processed;
  });
  std::vector<std::string> cells(3 * rows);
  for (uint64 r = 0; r < rows; ++r)
    for (int c = 0; c < 3; ++c) {
      char* v = pg_call(
          [&] { return SPI_getvalue(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, c + 1); });
      cells[3 * r + c] = v ? v : "";
    }
  BatchMapping mapping;
  for (uint64 r = 0; r < rows; ++r) {
    const std::string& key = cells[3 * r];
    const auto role = match::parse_role(key);
    if (!role)
      throw Error(sqlstate::kInvalidParameterValue, "unknown role \"" + key + "\" in mapping", {},
                  hint);
    if (cells[3 * r + 1] != "string" || cells[3 * r + 2].empty())
      throw Error(sqlstate::kInvalidParameterValue,
                  "role " + key + " must map to a column name (a non-empty JSON string)", {}, hint);
    mapping.roles.push_back(*role);
    mapping.columns.push_back(cells[3 * r + 2]);
  }
  if (mapping.roles.empty())
    throw Error(sqlstate::kInvalidParameterValue, "mapping names no role", {}, hint);
  return mapping;
}

match::RecordSet read_records(const BatchSource& source, const BatchMapping& mapping,
                              const match::RunControl& control) {
  std::string sql = "SELECT s." + quoted(source.id_column);
  for (const std::string& column : mapping.columns) sql += ", s." + quoted(column);
  sql += " FROM " + from_item(source.source) + " s";

  const int ncols = static_cast<int>(mapping.columns.size());
  Portal portal = pg_call([&] {
    Portal p =
        SPI_cursor_open_with_args(nullptr, sql.c_str(), 0, nullptr, nullptr, nullptr, false, 0);
    return p;
  });
  const Oid id_type = pg_call([&] { return TupleDescAttr(portal->tupDesc, 0)->atttypid; });
  if (id_type != INT2OID && id_type != INT4OID && id_type != INT8OID)
    throw Error(
        "42804",
        "id column \"" + source.id_column + "\" must be an integer (smallint, integer or bigint)",
        {}, "pass a query that adds one, e.g. SELECT row_number() OVER () AS id, * FROM t");

  // Output functions per column; dates are formatted here as YYYYMMDD whatever DateStyle is.
  std::vector<Oid> types(ncols);
  std::vector<FmgrInfo> output(ncols);
  pg_call([&] {
    for (int k = 0; k < ncols; ++k) {
      types[k] = TupleDescAttr(portal->tupDesc, k + 1)->atttypid;
      Oid function;
      bool varlena;
      getTypeOutputInfo(types[k], &function, &varlena);
      fmgr_info(function, &output[k]);
    }
  });
  MemoryContext rows_context = pg_call([] {
    return AllocSetContextCreate(CurrentMemoryContext, "dedupe batch rows", ALLOCSET_DEFAULT_SIZES);
  });

  match::RecordSetBuilder builder(mapping.roles);
  std::vector<Cell> cells(ncols);
  std::vector<std::optional<std::string_view>> raw(ncols);
  std::vector<std::array<char, 16>> dates(ncols);
  uint64_t read = 0;
  while (true) {
    const uint64 fetched = pg_call([&] {
      SPI_cursor_fetch(portal, true, kFetchRows);
      return SPI_processed;
    });
    if (fetched == 0) break;
    for (uint64 r = 0; r < fetched; ++r) {
      bool id_null = false;
      const int64_t id = pg_call([&] {
        MemoryContext old = MemoryContextSwitchTo(rows_context);
        HeapTuple tuple = SPI_tuptable->vals[r];
        TupleDesc desc = SPI_tuptable->tupdesc;
        Datum d = SPI_getbinval(tuple, desc, 1, &id_null);
        int64 value = id_null              ? 0
                      : id_type == INT8OID ? DatumGetInt64(d)
                      : id_type == INT4OID ? DatumGetInt32(d)
                                           : DatumGetInt16(d);
        for (int k = 0; k < ncols; ++k) {
          bool null;
          Datum v = SPI_getbinval(tuple, desc, k + 2, &null);
          cells[k] = Cell{nullptr, 0, null};
          if (null) continue;
          if (types[k] == DATEOID) {
            DateADT date = DatumGetDateADT(v);
            if (DATE_NOT_FINITE(date)) {
              cells[k].null = true;
              continue;
            }
            int y, m, day;
            j2date(date + POSTGRES_EPOCH_JDATE, &y, &m, &day);
            snprintf(dates[k].data(), dates[k].size(), "%04d%02d%02d", y, m, day);
            cells[k].data = dates[k].data();
            cells[k].length = static_cast<int>(strlen(dates[k].data()));
          } else if (types[k] == TEXTOID || types[k] == VARCHAROID) {
            text* t = DatumGetTextPP(v);
            cells[k].data = VARDATA_ANY(t);
            cells[k].length = static_cast<int>(VARSIZE_ANY_EXHDR(t));
          } else {
            cells[k].data = OutputFunctionCall(&output[k], v);
            cells[k].length = static_cast<int>(strlen(cells[k].data));
          }
        }
        MemoryContextSwitchTo(old);
        return value;
      });
      if (id_null)
        throw Error(sqlstate::kNotNullViolation,
                    "id column \"" + source.id_column + "\" is NULL in a row of the source");
      for (int k = 0; k < ncols; ++k)
        raw[k] =
            cells[k].null
                ? std::nullopt
                : std::optional<std::string_view>(std::string_view(cells[k].data, cells[k].length));
      builder.add(id, raw.data());
    }
    read += fetched;
    pg_call([&] {
      SPI_freetuptable(SPI_tuptable);
      MemoryContextReset(rows_context);
    });
    control.check_interrupt();
    control.progress(match::Progress{"reading", read, 0, 0});
  }
  pg_call([&] {
    SPI_cursor_close(portal);
    MemoryContextDelete(rows_context);
  });
  return builder.finish(control);
}

match::Model load_model(const std::string& name) {
  Oid argtypes[1] = {TEXTOID};
  const uint64 rows = pg_call([&] {
    Datum args[1] = {CStringGetTextDatum(name.c_str())};
    SPI_execute_with_args(
        "SELECT (m.params OPERATOR(pg_catalog.->>) 'lambda')::pg_catalog.float8,"
        "  c.v OPERATOR(pg_catalog.->>) 'role', l.v OPERATOR(pg_catalog.->>) 'level',"
        "  (l.v OPERATOR(pg_catalog.->>) 'm')::pg_catalog.float8,"
        "  (l.v OPERATOR(pg_catalog.->>) 'u')::pg_catalog.float8"
        " FROM dedupe.models m"
        " LEFT JOIN LATERAL pg_catalog.jsonb_array_elements("
        "   m.params OPERATOR(pg_catalog.->) 'comparisons') c(v) ON true"
        " LEFT JOIN LATERAL pg_catalog.jsonb_array_elements("
        "   c.v OPERATOR(pg_catalog.->) 'levels') l(v) ON true"
        " WHERE m.name OPERATOR(pg_catalog.=) $1",
        1, argtypes, args, nullptr, true, 0);
    return SPI_processed;
  });
  if (rows == 0)
    throw Error("42704", "model \"" + name + "\" does not exist", {},
                "dedupe.train(name, source, id_column, mapping) stores one in dedupe.models");
  auto text_at = [](uint64 r, int c) -> std::optional<std::string> {
    char* v =
        pg_call([&] { return SPI_getvalue(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, c); });
    if (!v) return std::nullopt;
    return std::string(v);
  };
  const auto lambda = text_at(0, 1);
  if (!lambda)
    throw Error(sqlstate::kInvalidParameterValue, "model \"" + name + "\" has no lambda");
  std::vector<match::LevelParams> levels;
  for (uint64 r = 0; r < rows; ++r) {
    const auto role = text_at(r, 2), level = text_at(r, 3), m = text_at(r, 4), u = text_at(r, 5);
    if (!role) continue;
    if (!level || !m || !u)
      throw Error(sqlstate::kInvalidParameterValue,
                  "model \"" + name + "\" has a level of role " + *role + " without level, m or u");
    levels.push_back(match::LevelParams{*role, *level, std::stod(*m), std::stod(*u)});
  }
  // Address parts that agree together more often than independence says (optional).
  const uint64 sets = pg_call([&] {
    Datum args[1] = {CStringGetTextDatum(name.c_str())};
    SPI_execute_with_args(
        "SELECT (SELECT pg_catalog.string_agg(r, ',') FROM pg_catalog.jsonb_array_elements_text("
        "          d.v OPERATOR(pg_catalog.->) 'roles') r),"
        "       (d.v OPERATOR(pg_catalog.->>) 'bits')::pg_catalog.float8"
        " FROM dedupe.models m, pg_catalog.jsonb_array_elements(COALESCE("
        "   m.params OPERATOR(pg_catalog.->) 'dependence', '[]'::pg_catalog.jsonb)) d(v)"
        " WHERE m.name OPERATOR(pg_catalog.=) $1",
        1, argtypes, args, nullptr, true, 0);
    return SPI_processed;
  });
  std::vector<std::pair<std::vector<std::string>, double>> dependence;
  for (uint64 r = 0; r < sets; ++r) {
    const auto roles = text_at(r, 1), bits = text_at(r, 2);
    if (!roles || !bits)
      throw Error(sqlstate::kInvalidParameterValue,
                  "model \"" + name + "\" has a dependence without roles or bits");
    std::vector<std::string> names;
    size_t start = 0;
    for (size_t comma; (comma = roles->find(',', start)) != std::string::npos; start = comma + 1)
      names.push_back(roles->substr(start, comma - start));
    names.push_back(roles->substr(start));
    dependence.emplace_back(std::move(names), std::stod(*bits));
  }
  return match::model_from_levels(std::stod(*lambda), levels, dependence);
}

}  // namespace dedupe::pg
