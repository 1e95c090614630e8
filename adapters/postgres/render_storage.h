// The DDL pieces render.cc puts together for what PostgreSQL keeps beside a relation's columns
// (UNLOGGED, storage parameters, INHERITS, a foreign table's server, a view's options) and for
// foreign servers, event triggers and aggregates. Internal to rendering; pure functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "proto/postgres.pb.h"

namespace strata::postgres::render {

// "TABLE", "UNLOGGED TABLE" or "FOREIGN TABLE": what follows CREATE.
std::string TableKeyword(const pb::PgTable& t);
// "TABLE" or "FOREIGN TABLE": what COMMENT ON calls the table.
std::string TableNoun(const pb::PgTable& t);
// What follows a table's column list: " INHERITS (...)", "\nSERVER ... OPTIONS (...)" and
// "\nWITH (...)" (storage parameters quoted as pg_dump writes them), each when it applies.
std::string TableClausesSql(const pb::PgTable& t);
// Tables in the given (key) order, each moved after the tables it inherits from.
std::vector<const pb::PgTable*> TablesInInheritanceOrder(std::vector<const pb::PgTable*> tables);

// " WITH (security_barrier='true', ...)" after a view's name; check_option is not among them.
std::string ViewWithSql(const pb::PgView& v);
// "\nWITH LOCAL CHECK OPTION" (or CASCADED) after a view's query, when it has one.
std::string ViewCheckOptionSql(const pb::PgView& v);

// CREATE SERVER and its comment.
std::string ForeignServerDdl(const pb::PgForeignServer& s);
// CREATE EVENT TRIGGER, the ALTER that sets a state other than the default, and the comment.
std::string EventTriggerDdl(const pb::PgEventTrigger& e);

// The DDL of "evt:NAME" or "server:NAME"; nullopt for any other key or a missing object.
std::optional<std::string> FindServerOrEventTriggerDdl(const pb::PostgresSchema& s,
                                                       const std::string& key);

}  // namespace strata::postgres::render
