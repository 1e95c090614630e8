#include "engine/state/fragments.h"

#include <algorithm>

#include <google/protobuf/io/coded_stream.h>

#include "engine/state/postgres_keys.h"

namespace strata {
namespace {

using Fragments = std::vector<std::pair<std::string, std::string>>;

// The fragments one share takes: objects are dealt to the shares in turn, and each share
// serializes only its own.
struct Out {
  Fragments fragments;
  size_t share = 0;
  size_t shares = 1;
  size_t dealt = 0;  // objects seen, of every share
  bool Take() { return dealt++ % shares == share; }
};

void Emit(const std::string& object, const pb::SchemaState& fragment, Out* out) {
  out->fragments.emplace_back(object, fragment.SerializeAsString());
}

// Protobuf wire format, for writing a fragment around an already serialized message.
void PutVarint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

void PutLengthDelimited(int field, size_t size, std::string* out) {
  PutVarint(static_cast<uint64_t>(field) << 3 | 2, out);
  PutVarint(size, out);
}

size_t VarintSize(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

// A DynamoDB table's fragment, the bytes SchemaState{engine, dynamodb{tables{name: table}}}
// serializes to, written around the table's own serialization instead of copying the table
// into a new message first (checkpoints split every table of the schema).
void SplitDynamo(const pb::SchemaState& s, Out* out) {
  std::string table_bytes;
  for (const auto& [name, table] : s.dynamodb().tables()) {
    if (!out->Take()) continue;
    table_bytes.clear();
    table.SerializeToString(&table_bytes);
    const size_t entry = 1 + VarintSize(name.size()) + name.size() + 1 +
                         VarintSize(table_bytes.size()) + table_bytes.size();
    const size_t tables = 1 + VarintSize(entry) + entry;
    std::string f;
    f.reserve(tables + 16);
    if (s.engine() != pb::ENGINE_UNSPECIFIED) {
      PutVarint(pb::SchemaState::kEngineFieldNumber << 3, &f);
      PutVarint(static_cast<uint64_t>(s.engine()), &f);
    }
    PutLengthDelimited(pb::SchemaState::kDynamodbFieldNumber, tables, &f);
    PutLengthDelimited(pb::DynamoSchema::kTablesFieldNumber, entry, &f);
    PutLengthDelimited(1, name.size(), &f);  // map entry key
    f += name;
    PutLengthDelimited(2, table_bytes.size(), &f);  // map entry value
    f += table_bytes;
    out->fragments.emplace_back(name, std::move(f));
  }
}

void SplitGlue(const pb::SchemaState& s, Out* out) {
  for (const auto& [db_name, db] : s.glue().databases()) {
    if (out->Take()) {
      pb::SchemaState f;
      f.set_engine(s.engine());
      pb::GlueDatabase& shell = (*f.mutable_glue()->mutable_databases())[db_name];
      shell = db;
      shell.clear_tables();
      Emit(db_name, f, out);
    }
    for (const auto& [table_name, table] : db.tables()) {
      if (!out->Take()) continue;
      pb::SchemaState tf;
      tf.set_engine(s.engine());
      pb::GlueDatabase& holder = (*tf.mutable_glue()->mutable_databases())[db_name];
      holder.set_name(db_name);
      (*holder.mutable_tables())[table_name] = table;
      Emit(db_name + "." + table_name, tf, out);
    }
  }
}

template <typename Map>
void SplitMap(const pb::SchemaState& s, const Map& map, const std::string& prefix,
              Map* (pb::PostgresSchema::*mutable_map)(), Out* out) {
  for (const auto& [key, value] : map) {
    if (!out->Take()) continue;
    pb::SchemaState f;
    f.set_engine(s.engine());
    (*(f.mutable_postgres()->*mutable_map)())[key] = value;
    Emit(prefix + key, f, out);
  }
}

void SplitPostgres(const pb::SchemaState& s, Out* out) {
  const auto& pg = s.postgres();
  using P = pb::PostgresSchema;
  SplitMap(s, pg.namespaces(), "", &P::mutable_namespaces, out);
  SplitMap(s, pg.tables(), "", &P::mutable_tables, out);
  SplitMap(s, pg.views(), "", &P::mutable_views, out);
  SplitMap(s, pg.sequences(), "", &P::mutable_sequences, out);
  SplitMap(s, pg.types(), "", &P::mutable_types, out);
  SplitMap(s, pg.extensions(), "ext:", &P::mutable_extensions, out);
  SplitMap(s, pg.functions(), "", &P::mutable_functions, out);
  SplitMap(s, pg.event_triggers(), std::string(kPgEventTriggerPrefix), &P::mutable_event_triggers,
           out);
  SplitMap(s, pg.foreign_servers(), std::string(kPgForeignServerPrefix),
           &P::mutable_foreign_servers, out);
  SplitMap(s, pg.default_privileges(), "defaults:", &P::mutable_default_privileges, out);
}

}  // namespace

std::vector<std::pair<std::string, std::string>> SplitSchema(const pb::SchemaState& state,
                                                             size_t share, size_t shares) {
  Out out;
  out.share = share;
  out.shares = std::max<size_t>(shares, 1);
  switch (state.kind_case()) {
    case pb::SchemaState::kDynamodb: SplitDynamo(state, &out); break;
    case pb::SchemaState::kGlue: SplitGlue(state, &out); break;
    case pb::SchemaState::kPostgres: SplitPostgres(state, &out); break;
    case pb::SchemaState::KIND_NOT_SET: break;
  }
  if (out.dealt == 0 && share == 0) {
    pb::SchemaState engine_only;
    engine_only.set_engine(state.engine());
    Emit("", engine_only, &out);
  }
  return std::move(out.fragments);
}

void MergeFragment(const pb::SchemaState& f, pb::SchemaState* into) {
  if (f.engine() != pb::ENGINE_UNSPECIFIED) into->set_engine(f.engine());
  if (f.kind_case() != pb::SchemaState::kGlue) {
    // Every DynamoDB and PostgreSQL object is a top-level map entry: a plain merge is exact.
    // An empty schema's engine-only fragment still sets which oneof member exists.
    if (f.engine() == pb::ENGINE_DYNAMODB) into->mutable_dynamodb();
    if (f.engine() == pb::ENGINE_POSTGRES) into->mutable_postgres();
    if (f.engine() == pb::ENGINE_GLUE) into->mutable_glue();
    into->MergeFrom(f);
    return;
  }
  // Glue tables live inside their database: merge table maps, keep the database's fields.
  for (const auto& [db_name, db] : f.glue().databases()) {
    pb::GlueDatabase& target = (*into->mutable_glue()->mutable_databases())[db_name];
    if (db.tables().empty()) {
      auto tables = std::move(*target.mutable_tables());
      target = db;
      *target.mutable_tables() = std::move(tables);
    } else {
      target.set_name(db_name);
      for (const auto& [t, table] : db.tables()) (*target.mutable_tables())[t] = table;
    }
  }
}

Status MergeFragment(std::string_view bytes, pb::SchemaState* into) {
  if (into->kind_case() != pb::SchemaState::kGlue) {
    // Parsing into the state merges map entries by key, which is exact for DynamoDB and
    // PostgreSQL objects and for a first Glue fragment; no temporary, no copy.
    google::protobuf::io::CodedInputStream in(reinterpret_cast<const uint8_t*>(bytes.data()),
                                              static_cast<int>(bytes.size()));
    if (!into->MergeFromCodedStream(&in) || !in.ConsumedEntireMessage()) {
      return Status::Corruption("checkpoint fragment does not parse");
    }
    if (into->engine() == pb::ENGINE_DYNAMODB) into->mutable_dynamodb();
    if (into->engine() == pb::ENGINE_POSTGRES) into->mutable_postgres();
    if (into->engine() == pb::ENGINE_GLUE) into->mutable_glue();
    return Status::Ok();
  }
  pb::SchemaState f;
  if (!f.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return Status::Corruption("checkpoint fragment does not parse");
  }
  MergeFragment(f, into);
  return Status::Ok();
}

void MergeDisjoint(pb::SchemaState* from, pb::SchemaState* into) {
  if (from->engine() != pb::ENGINE_UNSPECIFIED) into->set_engine(from->engine());
  if (into->kind_case() == pb::SchemaState::KIND_NOT_SET) {
    const pb::Engine engine = into->engine();
    into->Swap(from);
    into->set_engine(engine);
    return;
  }
  switch (from->kind_case()) {
    case pb::SchemaState::kDynamodb: {
      auto& tables = *into->mutable_dynamodb()->mutable_tables();
      for (auto& [name, t] : *from->mutable_dynamodb()->mutable_tables()) tables[name].Swap(&t);
      break;
    }
    case pb::SchemaState::kGlue:
      for (auto& [db_name, db] : *from->mutable_glue()->mutable_databases()) {
        pb::GlueDatabase& target = (*into->mutable_glue()->mutable_databases())[db_name];
        // The tables move; the database's own fields (set on one side only) merge.
        for (auto& [t, table] : *db.mutable_tables()) (*target.mutable_tables())[t].Swap(&table);
        db.clear_tables();
        target.MergeFrom(db);
      }
      break;
    case pb::SchemaState::kPostgres:
      // Every PostgreSQL object is its own top-level map entry: a merge is exact.
      into->mutable_postgres()->MergeFrom(from->postgres());
      break;
    case pb::SchemaState::KIND_NOT_SET: break;
  }
}

std::vector<std::string> ObjectNames(const pb::SchemaState& state) {
  std::vector<std::string> names;
  for (auto& [object, bytes] : SplitSchema(state)) {
    if (!object.empty()) names.push_back(std::move(object));
  }
  std::sort(names.begin(), names.end());
  return names;
}

pb::SchemaState SelectObjects(const pb::SchemaState& state, const std::set<std::string>& names) {
  pb::SchemaState out;
  out.set_engine(state.engine());
  for (const auto& [object, bytes] : SplitSchema(state)) {
    if (object.empty() || !names.count(object)) continue;
    (void)MergeFragment(bytes, &out);
  }
  return out;
}

}  // namespace strata
