// EffectOf: which changes create or drop a top-level object (objects.h names them).
#include "engine/state/objects.h"

namespace strata {
namespace {

ObjectEffect DynamoEffect(const pb::DynamoChange& c) {
  switch (c.kind_case()) {
    case pb::DynamoChange::kCreateTable: return ObjectEffect::kCreates;
    case pb::DynamoChange::kDropTable: return ObjectEffect::kDrops;
    default: return ObjectEffect::kChanges;
  }
}

ObjectEffect GlueEffect(const pb::GlueChange& c) {
  switch (c.kind_case()) {
    case pb::GlueChange::kCreateDatabase:
    case pb::GlueChange::kCreateTable: return ObjectEffect::kCreates;
    case pb::GlueChange::kDropDatabase:
    case pb::GlueChange::kDropTable: return ObjectEffect::kDrops;
    default: return ObjectEffect::kChanges;
  }
}

ObjectEffect PostgresEffect(const pb::PostgresChange& c) {
  switch (c.kind_case()) {
    case pb::PostgresChange::kCreateSchema:
    case pb::PostgresChange::kCreateTable:
    case pb::PostgresChange::kCreateView:
    case pb::PostgresChange::kCreateSequence:
    case pb::PostgresChange::kCreateType:
    case pb::PostgresChange::kCreateExtension:
    case pb::PostgresChange::kCreateFunction:
    case pb::PostgresChange::kCreateEventTrigger:
    case pb::PostgresChange::kCreateForeignServer:
    case pb::PostgresChange::kCreateOther: return ObjectEffect::kCreates;
    case pb::PostgresChange::kDropSchema:
    case pb::PostgresChange::kDropTable:
    case pb::PostgresChange::kDropView:
    case pb::PostgresChange::kDropSequence:
    case pb::PostgresChange::kDropType:
    case pb::PostgresChange::kDropExtension:
    case pb::PostgresChange::kDropFunction:
    case pb::PostgresChange::kDropEventTrigger:
    case pb::PostgresChange::kDropForeignServer:
    case pb::PostgresChange::kDropOther: return ObjectEffect::kDrops;
    default: return ObjectEffect::kChanges;
  }
}

}  // namespace

ObjectEffect EffectOf(const pb::Event& event) {
  switch (event.kind_case()) {
    case pb::Event::kDynamodb: return DynamoEffect(event.dynamodb());
    case pb::Event::kGlue: return GlueEffect(event.glue());
    case pb::Event::kPostgres: return PostgresEffect(event.postgres());
    case pb::Event::KIND_NOT_SET: break;
  }
  return ObjectEffect::kChanges;
}

}  // namespace strata
