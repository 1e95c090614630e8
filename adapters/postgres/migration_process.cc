#include "adapters/postgres/migration_process.h"

#include <libpq-fe.h>

#include <filesystem>
#include <map>

#include <fmt/format.h>

#include "adapters/postgres/libpq_loader.h"

namespace strata::postgres {
namespace {

// 'value' with \ and ' escaped, as libpq's conninfo syntax wants.
std::string ConninfoValue(const std::string& v) {
  std::string out = "'";
  for (char c : v) {
    if (c == '\\' || c == '\'') out += '\\';
    out += c;
  }
  return out + "'";
}

void SetVariable(std::vector<std::string>* env, const std::string& name, const std::string& value) {
  const std::string prefix = name + "=";
  for (std::string& entry : *env) {
    if (entry.compare(0, prefix.size(), prefix) == 0) {
      entry = prefix + value;
      return;
    }
  }
  env->push_back(prefix + value);
}

std::vector<std::string> PsqlBase(const ChildSetup& setup, const MigrationVariables& vars) {
  std::vector<std::string> argv = {setup.psql_path, "-X", "-q", "-v", "ON_ERROR_STOP=1"};
  if (!setup.psql_conninfo.empty()) {
    argv.push_back("-d");
    argv.push_back(setup.psql_conninfo);
  }
  const std::pair<const char*, const std::string*> kVars[] = {
      {"migration_name", &vars.migration_name},
      {"track_name", &vars.track_name},
      {"migration_timestamp", &vars.migration_timestamp},
      {"execution_id", &vars.execution_id}};
  for (const auto& [name, value] : kVars) {
    argv.push_back("-v");
    argv.push_back(std::string(name) + "=" + *value);
  }
  return argv;
}

}  // namespace

Result<ChildSetup> MakeChildSetup(const std::string& psql_path, const std::string& conninfo,
                                  const std::vector<std::string>& base_environment) {
  ChildSetup setup{psql_path, base_environment, ""};
  if (conninfo.empty()) return setup;
  if (Status loaded = LoadLibpq(); !loaded.ok()) return loaded;
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(conninfo.c_str(), &err);
  if (err) PQfreemem(err);
  if (opts == nullptr) {
    // libpq's message may quote part of the string, and with it a password: say it our way.
    return Status::InvalidArgument(
        "the connection string is not a valid libpq URI (postgresql://user@host:port/db) or "
        "key=value list; check its quoting and percent-encoding");
  }
  std::vector<std::string> parts;
  for (PQconninfoOption* o = opts; o->keyword; ++o) {
    if (o->val == nullptr || *o->val == '\0') continue;
    const std::string key = o->keyword, value = o->val;
    if (o->envvar) SetVariable(&setup.environment, o->envvar, value);
    if (key != "password") parts.push_back(key + "=" + ConninfoValue(value));
  }
  PQconninfoFree(opts);
  setup.psql_conninfo = fmt::format("{}", fmt::join(parts, " "));
  return setup;
}

MigrationVariables VariablesFor(const MigrationFile& file, const std::string& execution_id) {
  return {file.name.stem, file.name.track, file.name.timestamp, execution_id};
}

common::ProcessRequest MigrationRequest(const ChildSetup& setup, const MigrationFile& file,
                                const MigrationVariables& vars,
                                const std::string& history_insert_sql) {
  common::ProcessRequest req;
  req.argv = PsqlBase(setup, vars);
  if (!file.no_transaction) req.argv.push_back("-1");
  req.argv.push_back("-f");
  req.argv.push_back(file.path);
  if (!file.no_transaction) {
    req.argv.push_back("-c");
    req.argv.push_back(history_insert_sql);
  }
  req.environment = setup.environment;
  req.merge_stderr = true;
  return req;
}

common::ProcessRequest ValidationRequest(const ChildSetup& setup, const MigrationFile& file,
                                 const MigrationVariables& vars) {
  common::ProcessRequest req;
  req.environment = setup.environment;
  const ValidationScript& script = *file.validation;
  if (script.kind == ValidationKind::kCheckSql) {
    req.argv = PsqlBase(setup, vars);
    for (const char* arg : {"-t", "-A", "-c", "BEGIN", "-f"}) req.argv.push_back(arg);
    req.argv.push_back(script.path);
    req.argv.push_back("-c");
    req.argv.push_back("ROLLBACK");
    return req;
  }
  req.argv = {script.path};
  req.working_dir = std::filesystem::path(script.path).parent_path().string();
  req.merge_stderr = true;
  SetVariable(&req.environment, "MIGRATION_NAME", vars.migration_name);
  SetVariable(&req.environment, "TRACK_NAME", vars.track_name);
  SetVariable(&req.environment, "MIGRATION_TIMESTAMP", vars.migration_timestamp);
  SetVariable(&req.environment, "EXECUTION_ID", vars.execution_id);
  SetVariable(&req.environment, "MIGRATION_FILE", file.path);
  return req;
}

Result<std::optional<ValidationOutcome>> RunValidation(common::ProcessRunner& runner,
                                                       const ChildSetup& setup,
                                                       const MigrationFile& file,
                                                       const MigrationVariables& vars) {
  if (!file.validation) return std::optional<ValidationOutcome>();
  STRATA_ASSIGN_OR_RETURN(common::ProcessResult r,
                          runner.Run(ValidationRequest(setup, file, vars)));
  ValidationOutcome out;
  out.exit_code = r.exit_code;
  out.passed = r.exit_code == 0;
  if (file.validation->kind == ValidationKind::kCheckSql) {
    // Rows on stdout mean "something is wrong"; notices on stderr do not.
    if (r.output.find_first_not_of(" \t\r\n") != std::string::npos) out.passed = false;
    out.output = r.output + r.errors;
  } else {
    out.output = std::move(r.output);
  }
  return std::optional<ValidationOutcome>(std::move(out));
}

}  // namespace strata::postgres
