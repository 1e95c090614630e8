// A PostgreSQL target: one database reached over libpq, through the target's `dsn` or, when no
// target is named, libpq's own environment (PGHOST, PGDATABASE, the service file, ...). It is
// read by introspecting the catalog; it changes only through migrations (strata migrate run),
// so planning, executing and dropping answer Unimplemented with that way forward.
// The migration commands reach the connection and the conninfo through PostgresTarget.
// Not thread-safe: it holds one connection.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "adapters/backend/backend.h"
#include "adapters/postgres/connection.h"

namespace strata::postgres {

// The settings a postgres target may have: just the connection string.
const std::vector<backend::SettingInfo>& TargetSettings();

class PostgresTarget : public backend::Target {
 public:
  // Connects. InvalidArgument naming the target for a setting other than dsn, for a target of
  // another engine, or for a named target without a dsn; Unavailable (where, and libpq's
  // reason, never the password) when the server cannot be reached.
  static Result<std::unique_ptr<PostgresTarget>> Open(const backend::TargetSpec& spec);

  // The connection every operation on this target uses (migrations, captures, replays).
  Connection& connection() { return *conn_; }
  // The conninfo it was opened with ("" for the libpq environment), for child processes.
  const std::string& conninfo() const { return conninfo_; }

  std::string Label() const override;
  std::string Text() const override;
  nlohmann::ordered_json Json() const override;
  Result<std::unique_ptr<backend::Live>> Read(const backend::ReadRequest& request) override;
  Result<backend::Plan> MakePlan(const backend::Live& live, const pb::SchemaState& desired,
                                 const backend::PlanRequest& request) override;
  backend::ExecuteReport Execute(const backend::Plan& plan,
                                 const backend::ExecuteRequest& request) override;
  backend::ExecuteReport Drop(const std::vector<std::string>& names,
                              const backend::DropRequest& request) override;
  Result<std::vector<std::string>> Gone(const std::vector<std::string>& names) override;
  backend::ListView List(const backend::Live& live,
                         const std::set<std::string>& managed) const override;

 private:
  PostgresTarget(std::string name, std::string conninfo, std::unique_ptr<Connection> conn)
      : name_(std::move(name)), conninfo_(std::move(conninfo)), conn_(std::move(conn)) {}
  // "run strata migrate run --target NAME", the way a PostgreSQL database is changed.
  std::string MigrateHint() const;

  std::string name_;
  std::string conninfo_;
  std::unique_ptr<Connection> conn_;
};

// What a PostgreSQL database has now: its catalog as engine state, one object per top-level
// name (schemas, tables, views, sequences, types, functions, extensions).
class PostgresLive : public backend::Live {
 public:
  explicit PostgresLive(pb::SchemaState schema);
  // The catalog as read; `base` is not needed, the catalog reports everything modelled.
  pb::SchemaState Schema(const pb::SchemaState* base = nullptr) const override { return schema_; }
  const std::vector<backend::LiveObject>& Objects() const override { return objects_; }

 private:
  pb::SchemaState schema_;
  std::vector<backend::LiveObject> objects_;
};

}  // namespace strata::postgres
