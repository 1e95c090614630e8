// pg_introspect_tool: times postgres::Introspect on a large generated schema.
//
//   pg_introspect_tool --conninfo "host=127.0.0.1 port=PORT user=postgres dbname=bench"
//                      [--tables 1000] [--columns 11000] [--runs 5] [--migrations 0]
//
// Creates the schema when the database has none of its tables yet (schema "bench": tables
// with identity keys, defaults, NOT NULL, unique, check and foreign-key constraints, an index
// each, comments on some columns and tables), then runs Introspect --runs times and prints
// each run and the best, median and worst wall times with the query count.
// With --migrations N it then applies N one-line migrations from a second session (add,
// rename a column, create and drop an index, comment, create a table), captures each with
// IncrementalCapture as `migrate run` does, and prints the capture's time per migration
// (median, 90th percentile, worst) beside the diff of the before and after states.
// bench/pg_introspect.sh runs it against a throwaway cluster.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <boost/program_options.hpp>
#include <iostream>
#include <string>
#include <vector>

#include "adapters/postgres/capture_events.h"
#include "adapters/postgres/capture_incremental.h"
#include "adapters/postgres/connection.h"
#include "adapters/postgres/introspect.h"
#include "engine/diff/diff.h"

namespace {

namespace po = boost::program_options;
using strata::Result;
using strata::Status;
using strata::postgres::Connection;
namespace pb = strata::pb;

struct ToolOptions {
  std::string conninfo;
  int tables = 1000;
  int columns = 11000;
  int runs = 5;
  int migrations = 0;
};

// The DDL of table `i` with `columns` columns; every third table points at the one before.
std::string TableDdl(int i, int columns) {
  static const char* kTypes[] = {"text",    "integer",     "numeric(12,2)", "timestamptz",
                                 "boolean", "varchar(80)", "jsonb",         "uuid",
                                 "bigint",  "date"};
  std::string sql = fmt::format(
      "CREATE TABLE bench.t{0} (\n  id bigint GENERATED ALWAYS AS "
      "IDENTITY PRIMARY KEY",
      i);
  for (int c = 1; c < columns; ++c) {
    const char* type = kTypes[(i + c) % 10];
    sql += fmt::format(",\n  c{} {}", c, type);
    if (c % 4 == 1) sql += " NOT NULL";
    if (c % 5 == 2 && std::string(type) == "integer") sql += " DEFAULT 0";
    if (c % 5 == 3 && std::string(type) == "text") sql += " DEFAULT ''";
  }
  if (i % 3 == 2) sql += fmt::format(",\n  parent_id bigint REFERENCES bench.t{}(id)", i - 1);
  sql += fmt::format(",\n  CONSTRAINT t{0}_c1_key UNIQUE (c1)", i);
  sql += fmt::format(",\n  CONSTRAINT t{0}_id_check CHECK (id > 0)\n);\n", i);
  sql += fmt::format("CREATE INDEX t{0}_c2_idx ON bench.t{0} (c2);\n", i);
  if (i % 2 == 0) {
    sql += fmt::format("COMMENT ON TABLE bench.t{0} IS 'table {0}';\n", i);
    sql += fmt::format("COMMENT ON COLUMN bench.t{0}.c1 IS 'first of {0}';\n", i);
  }
  return sql;
}

// Spreads `total` columns over `tables` tables (parent_id columns come on top).
Status CreateSchema(Connection& conn, const ToolOptions& o) {
  std::string sql = "CREATE SCHEMA bench;\n";
  for (int i = 0; i < o.tables; ++i) {
    const int columns = o.columns / o.tables + (i < o.columns % o.tables ? 1 : 0);
    sql += TableDdl(i, std::max(columns, 2));
  }
  return conn.ExecScript(sql);  // one implicit transaction
}

// Migration `i` of the --migrations run `run` (names made with it are new in every run): one
// statement on table bench.t<k>.
std::string Migration(int64_t run, int i, int tables) {
  const int k = (i * 7) % tables;
  switch (i % 6) {
    case 0: return fmt::format("ALTER TABLE bench.t{} ADD COLUMN x{}_{} integer", k, run, i);
    case 1: return fmt::format("CREATE INDEX bx{}_{} ON bench.t{} (id, c1)", run, i, k);
    case 2: return fmt::format("COMMENT ON COLUMN bench.t{}.c1 IS 'm{}_{}'", k, run, i);
    case 3:
      return fmt::format("CREATE TABLE bench.n{}_{} (id bigint PRIMARY KEY, v text)", run, i);
    case 4: return fmt::format("DROP INDEX bench.bx{}_{}", run, i - 3);
    default:
      return fmt::format("ALTER TABLE bench.t{} RENAME COLUMN x{}_{} TO y{}_{}",
                         ((i - 5) * 7) % tables, run, i - 5, run, i);
  }
}

struct Spread {
  double median = 0, p90 = 0, worst = 0;
};
Spread SpreadOf(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return {v[v.size() / 2], v[v.size() * 9 / 10], v.back()};
}

// Applies o.migrations one-line migrations from `other` and captures each on `conn`.
Status RunMigrations(Connection& conn, Connection& other, const ToolOptions& o) {
  strata::postgres::IncrementalCapture capture;
  STRATA_RETURN_IF_ERROR(capture.Begin(conn));
  std::vector<double> capture_ms, diff_ms;
  int full = 0, recounts = 0;
  const int64_t run = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  for (int i = 0; i < o.migrations; ++i) {
    STRATA_RETURN_IF_ERROR(capture.Begin(conn));
    STRATA_RETURN_IF_ERROR(other.ExecScript(Migration(run, i, o.tables)));
    STRATA_RETURN_IF_ERROR(capture.Finish(conn));
    capture_ms.push_back(capture.stats().micros / 1000.0);
    full += capture.stats().full ? 1 : 0;
    recounts += capture.stats().recounted.empty() ? 0 : 1;
    // What migrate run does next: the events of the parts of the model the migration changed.
    const auto t0 = std::chrono::steady_clock::now();
    const auto change = capture.last_change();
    if (!change) return Status::Internal("a capture left no change");
    STRATA_ASSIGN_OR_RETURN(auto events, strata::postgres::MigrationEvents(
                                             {change->before, change->before_identity},
                                             {change->after, change->after_identity}));
    diff_ms.push_back(std::chrono::duration<double, std::milli>(
                          std::chrono::steady_clock::now() - t0)
                          .count());
    if (events.empty()) return Status::Internal(Migration(run, i, o.tables) + " captured no change");
  }
  const Spread c = SpreadOf(capture_ms), d = SpreadOf(diff_ms);
  std::cout << fmt::format(
      "capture after each of {} one-line migrations: median {:.1f} ms, p90 {:.1f} ms, worst "
      "{:.1f} ms ({} read the whole catalog, {} read a key list); the migration's events from "
      "what changed: median {:.1f} ms, p90 {:.1f} ms\n",
      o.migrations, c.median, c.p90, c.worst, full, recounts, d.median, d.p90);
  return Status::Ok();
}

Status Run(const ToolOptions& o) {
  STRATA_ASSIGN_OR_RETURN(auto conn, Connection::Open(o.conninfo));
  STRATA_ASSIGN_OR_RETURN(auto existing,
                          conn->Exec("SELECT count(*) FROM pg_namespace WHERE nspname = 'bench'"));
  if (existing.rows.at(0).at(0) == "0") {
    std::cout << fmt::format("creating {} tables with {} columns on {}\n", o.tables, o.columns,
                             conn->description());
    STRATA_RETURN_IF_ERROR(CreateSchema(*conn, o));
    STRATA_RETURN_IF_ERROR(conn->ExecScript("ANALYZE"));
  }
  std::vector<double> ms;
  strata::postgres::IntrospectStats stats;
  size_t tables = 0, columns = 0, constraints = 0, indexes = 0;
  for (int run = 0; run < o.runs; ++run) {
    STRATA_ASSIGN_OR_RETURN(auto schema, strata::postgres::Introspect(*conn, {}, &stats));
    ms.push_back(stats.micros / 1000.0);
    tables = schema.tables_size();
    columns = constraints = indexes = 0;
    for (const auto& [_, t] : schema.tables()) {
      columns += t.columns_size();
      constraints += t.constraints_size();
      indexes += t.indexes_size();
    }
    std::cout << fmt::format("run {}: {:.1f} ms, {} queries\n", run + 1, ms.back(), stats.queries);
  }
  std::sort(ms.begin(), ms.end());
  std::cout << fmt::format(
      "Introspect of {} tables, {} columns, {} constraints, {} indexes: best {:.1f} ms, "
      "median {:.1f} ms, worst {:.1f} ms over {} runs; {} queries per run\n",
      tables, columns, constraints, indexes, ms.front(), ms[ms.size() / 2], ms.back(), ms.size(),
      stats.queries);
  if (o.migrations == 0) return Status::Ok();
  STRATA_ASSIGN_OR_RETURN(auto other, Connection::Open(o.conninfo));
  return RunMigrations(*conn, *other, o);
}

}  // namespace

int main(int argc, char** argv) {
  ToolOptions o;
  po::options_description desc("pg_introspect_tool options");
  desc.add_options()("help", "this text")("conninfo", po::value(&o.conninfo)->required(),
                                          "libpq conninfo of the database to use")(
      "tables", po::value(&o.tables)->default_value(o.tables), "tables to create")(
      "columns", po::value(&o.columns)->default_value(o.columns), "columns over all tables")(
      "runs", po::value(&o.runs)->default_value(o.runs), "Introspect calls to time")(
      "migrations", po::value(&o.migrations)->default_value(o.migrations),
      "one-line migrations to capture incrementally afterwards");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, desc), vm);
    if (vm.count("help")) {
      std::cout << desc << "\n";
      return 0;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "pg_introspect_tool: " << e.what() << "\n" << desc << "\n";
    return 2;
  }
  if (o.tables < 1 || o.runs < 1 || o.columns < o.tables || o.migrations < 0) {
    std::cerr << "pg_introspect_tool: need --tables >= 1, --runs >= 1, --columns >= --tables, "
                 "--migrations >= 0\n";
    return 2;
  }
  Status s = Run(o);
  if (!s.ok()) {
    std::cerr << "pg_introspect_tool: " << s.ToString() << "\n";
    return 1;
  }
  return 0;
}
