#include "engine/state/object_undo.h"

#include "engine/state/postgres_keys.h"

#include "engine/state/postgres_security.h"

namespace strata {
namespace {

// Glue objects are "database" or "database.table".
std::pair<std::string, std::string> GlueParts(const std::string& object) {
  const auto dot = object.find('.');
  if (dot == std::string::npos) return {object, ""};
  return {object.substr(0, dot), object.substr(dot + 1)};
}

std::optional<pb::SchemaState> Extract(const pb::SchemaState& s, const std::string& object) {
  pb::SchemaState f;
  f.set_engine(s.engine());
  bool found = false;
  switch (s.kind_case()) {
    case pb::SchemaState::kDynamodb: {
      auto it = s.dynamodb().tables().find(object);
      if (it != s.dynamodb().tables().end()) {
        (*f.mutable_dynamodb()->mutable_tables())[object] = it->second;
        found = true;
      }
      break;
    }
    case pb::SchemaState::kGlue: {
      const auto [db_name, table] = GlueParts(object);
      auto db = s.glue().databases().find(db_name);
      if (db == s.glue().databases().end()) break;
      pb::GlueDatabase& out = (*f.mutable_glue()->mutable_databases())[db_name];
      if (table.empty()) {
        out = db->second;
        out.clear_tables();
        found = true;
      } else if (auto t = db->second.tables().find(table); t != db->second.tables().end()) {
        out.set_name(db_name);
        (*out.mutable_tables())[table] = t->second;
        found = true;
      }
      break;
    }
    case pb::SchemaState::kPostgres: {
      const auto& pg = s.postgres();
      auto* out = f.mutable_postgres();
      auto copy = [&](const auto& from, auto* to, const std::string& key) {
        if (auto it = from.find(key); it != from.end()) {
          (*to)[key] = it->second;
          found = true;
        }
      };
      if (object.rfind("ext:", 0) == 0) {
        copy(pg.extensions(), out->mutable_extensions(), object.substr(4));
        break;
      }
      if (object.rfind(kPgEventTriggerPrefix, 0) == 0) {
        copy(pg.event_triggers(), out->mutable_event_triggers(),
             object.substr(kPgEventTriggerPrefix.size()));
        break;
      }
      if (object.rfind(kPgForeignServerPrefix, 0) == 0) {
        copy(pg.foreign_servers(), out->mutable_foreign_servers(),
             object.substr(kPgForeignServerPrefix.size()));
        break;
      }
      if (object.rfind(kPgDefaultPrivilegesPrefix, 0) == 0) {
        copy(pg.default_privileges(), out->mutable_default_privileges(),
             object.substr(kPgDefaultPrivilegesPrefix.size()));
        break;
      }
      copy(pg.namespaces(), out->mutable_namespaces(), object);
      copy(pg.tables(), out->mutable_tables(), object);
      copy(pg.views(), out->mutable_views(), object);
      copy(pg.sequences(), out->mutable_sequences(), object);
      copy(pg.types(), out->mutable_types(), object);
      copy(pg.functions(), out->mutable_functions(), object);
      break;
    }
    case pb::SchemaState::KIND_NOT_SET: break;
  }
  if (!found) return std::nullopt;
  return f;
}

void Erase(pb::SchemaState* s, const std::string& object) {
  switch (s->kind_case()) {
    case pb::SchemaState::kDynamodb: s->mutable_dynamodb()->mutable_tables()->erase(object); break;
    case pb::SchemaState::kGlue: {
      const auto [db_name, table] = GlueParts(object);
      auto* dbs = s->mutable_glue()->mutable_databases();
      if (table.empty()) {
        // Only the database's own fields: its tables are objects of their own.
        auto it = dbs->find(db_name);
        if (it != dbs->end() && it->second.tables().empty()) dbs->erase(it);
      } else if (auto it = dbs->find(db_name); it != dbs->end()) {
        it->second.mutable_tables()->erase(table);
      }
      break;
    }
    case pb::SchemaState::kPostgres: {
      auto* pg = s->mutable_postgres();
      if (object.rfind("ext:", 0) == 0) {
        pg->mutable_extensions()->erase(object.substr(4));
        break;
      }
      if (object.rfind(kPgEventTriggerPrefix, 0) == 0) {
        pg->mutable_event_triggers()->erase(object.substr(kPgEventTriggerPrefix.size()));
        break;
      }
      if (object.rfind(kPgForeignServerPrefix, 0) == 0) {
        pg->mutable_foreign_servers()->erase(object.substr(kPgForeignServerPrefix.size()));
        break;
      }
      if (object.rfind(kPgDefaultPrivilegesPrefix, 0) == 0) {
        pg->mutable_default_privileges()->erase(object.substr(kPgDefaultPrivilegesPrefix.size()));
        break;
      }
      pg->mutable_namespaces()->erase(object);
      pg->mutable_tables()->erase(object);
      pg->mutable_views()->erase(object);
      pg->mutable_sequences()->erase(object);
      pg->mutable_types()->erase(object);
      pg->mutable_functions()->erase(object);
      break;
    }
    case pb::SchemaState::KIND_NOT_SET: break;
  }
}

void Put(pb::SchemaState* s, const pb::SchemaState& fragment) {
  if (fragment.kind_case() != pb::SchemaState::kGlue) {
    s->MergeFrom(fragment);
    return;
  }
  for (const auto& [db_name, db] : fragment.glue().databases()) {
    pb::GlueDatabase& target = (*s->mutable_glue()->mutable_databases())[db_name];
    if (db.tables().empty()) {
      auto tables = std::move(*target.mutable_tables());
      target = db;
      *target.mutable_tables() = std::move(tables);
    } else {
      if (target.name().empty()) target.set_name(db_name);
      for (const auto& [t, table] : db.tables()) (*target.mutable_tables())[t] = table;
    }
  }
}

}  // namespace

void ObjectUndo::Save(const pb::SchemaState& state, const std::string& object) {
  if (!seen_.insert(object).second) return;
  saved_.emplace_back(object, Extract(state, object));
}

void ObjectUndo::Restore(pb::SchemaState* state) const {
  // Tables before databases when erasing (a database goes only once it is empty); databases
  // before tables when putting back (a table needs its database).
  for (auto it = saved_.rbegin(); it != saved_.rend(); ++it) {
    if (it->first.find('.') != std::string::npos || state->kind_case() != pb::SchemaState::kGlue) {
      Erase(state, it->first);
    }
  }
  for (const auto& [object, fragment] : saved_) {
    if (state->kind_case() == pb::SchemaState::kGlue && object.find('.') == std::string::npos) {
      Erase(state, object);
    }
  }
  for (const auto& [object, fragment] : saved_) {
    if (fragment && (fragment->kind_case() != pb::SchemaState::kGlue ||
                     object.find('.') == std::string::npos)) {
      Put(state, *fragment);
    }
  }
  for (const auto& [object, fragment] : saved_) {
    if (fragment && fragment->kind_case() == pb::SchemaState::kGlue &&
        object.find('.') != std::string::npos) {
      Put(state, *fragment);
    }
  }
}

}  // namespace strata
