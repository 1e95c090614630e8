#include "cli/describe.h"

#include <fmt/format.h>
#include <google/protobuf/util/json_util.h>

#include <map>
#include <ostream>

#include "engine/state/objects.h"

namespace strata::cli {
namespace {

const google::protobuf::Message* ChangeOf(const pb::Event& e) {
  switch (e.kind_case()) {
    case pb::Event::kDynamodb: return &e.dynamodb();
    case pb::Event::kGlue: return &e.glue();
    case pb::Event::kPostgres: return &e.postgres();
    case pb::Event::KIND_NOT_SET: break;
  }
  return nullptr;
}

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// "DYNAMO_STREAM_NEW_IMAGE" -> "NEW_IMAGE": the enum's type prefix is noise to a reader.
std::string Short(const std::string& enum_name, const std::string& prefix) {
  return enum_name.rfind(prefix, 0) == 0 ? enum_name.substr(prefix.size()) : enum_name;
}

std::string DescribeDynamo(const pb::DynamoChange& c) {
  switch (c.kind_case()) {
    case pb::DynamoChange::kCreateTable: return "create table";
    case pb::DynamoChange::kDropTable: return "drop table";
    case pb::DynamoChange::kReplaceTable:
      return "replace table (" + c.replace_table().reason() + "; all items are lost)";
    case pb::DynamoChange::kSetBilling:
      return "billing " + Short(pb::DynamoBillingMode_Name(c.set_billing().billing_mode()),
                                "DYNAMO_BILLING_MODE_") +
             (c.set_billing().has_throughput()
                  ? fmt::format(" (read {}, write {})",
                                c.set_billing().throughput().read_capacity_units(),
                                c.set_billing().throughput().write_capacity_units())
                  : "");
    case pb::DynamoChange::kAddGlobalIndex:
      return "add global index " + c.add_global_index().index().name();
    case pb::DynamoChange::kDropGlobalIndex:
      return "drop global index " + c.drop_global_index().index();
    case pb::DynamoChange::kSetGlobalIndexThroughput:
      return fmt::format("global index {} throughput (read {}, write {})",
                         c.set_global_index_throughput().index(),
                         c.set_global_index_throughput().throughput().read_capacity_units(),
                         c.set_global_index_throughput().throughput().write_capacity_units());
    case pb::DynamoChange::kSetTimeToLive:
      return c.set_time_to_live().attribute().empty()
                 ? "disable time to live"
                 : "time to live on " + c.set_time_to_live().attribute();
    case pb::DynamoChange::kSetStream:
      return "stream " + Short(pb::DynamoStreamViewType_Name(c.set_stream().stream()), "DYNAMO_STREAM_");
    case pb::DynamoChange::kSetTableClass:
      return "table class " +
             Short(pb::DynamoTableClass_Name(c.set_table_class().table_class()), "DYNAMO_TABLE_CLASS_");
    case pb::DynamoChange::kSetDeletionProtection:
      return c.set_deletion_protection().enabled() ? "enable deletion protection"
                                                   : "disable deletion protection";
    case pb::DynamoChange::kSetTag:
      return fmt::format("tag {}={}", c.set_tag().key(), c.set_tag().value());
    case pb::DynamoChange::kRemoveTag: return "remove tag " + c.remove_tag().key();
    case pb::DynamoChange::KIND_NOT_SET: break;
  }
  return "unknown change";
}

// The part of a table an event is about ("email text" for an added column, "users_pkey" for
// a constraint), found by field name so every Glue and PostgreSQL change gets it.
std::string PartOf(const google::protobuf::Message& payload) {
  using FD = google::protobuf::FieldDescriptor;
  static const char* kParts[] = {"column", "constraint", "index", "trigger", "sub"};
  const auto* d = payload.GetDescriptor();
  const auto* r = payload.GetReflection();
  for (const char* part : kParts) {
    const FD* f = d->FindFieldByName(part);
    if (f == nullptr || f->is_repeated()) continue;
    if (f->type() == FD::TYPE_STRING) {
      std::string v = r->GetString(payload, f);
      if (!v.empty()) return v;
    } else if (f->type() == FD::TYPE_MESSAGE && r->HasField(payload, f)) {
      const auto& sub = r->GetMessage(payload, f);
      const FD* name = sub.GetDescriptor()->FindFieldByName("name");
      if (name == nullptr || name->type() != FD::TYPE_STRING) continue;
      std::string v = sub.GetReflection()->GetString(sub, name);
      const FD* type = sub.GetDescriptor()->FindFieldByName("type");
      if (type != nullptr && type->type() == FD::TYPE_STRING) {
        const std::string t = sub.GetReflection()->GetString(sub, type);
        if (!t.empty()) v += " " + t;
      }
      if (!v.empty()) return v;
    }
  }
  return "";
}

char SignOf(const std::string& kind) {
  if (kind.rfind("create_", 0) == 0 || kind.rfind("add_", 0) == 0) return '+';
  if (kind.rfind("drop_", 0) == 0 || kind.rfind("remove_", 0) == 0) return '-';
  if (kind.rfind("replace_table", 0) == 0) return '!';
  return '~';
}

}  // namespace

std::string ChangeKind(const pb::Event& e) {
  const google::protobuf::Message* change = ChangeOf(e);
  if (change == nullptr) return "unknown";
  const auto* oneof = change->GetDescriptor()->oneof_decl(0);
  const auto* field = change->GetReflection()->GetOneofFieldDescriptor(*change, oneof);
  return field == nullptr ? "unknown" : field->name();
}

EventText Describe(const pb::Event& e) {
  EventText t;
  const std::string kind = ChangeKind(e);
  t.sign = SignOf(kind);
  auto objects = TouchedObjects(e, pb::SchemaState());
  t.object = objects.empty() ? "" : objects.front();
  if (e.has_dynamodb()) {
    t.text = DescribeDynamo(e.dynamodb());
    if (e.dynamodb().has_add_global_index() || e.dynamodb().has_drop_global_index()) {
      t.sign = '~';  // the table changes; the index comes or goes
    }
  } else {
    std::string words = kind;
    for (auto& ch : words) ch = ch == '_' ? ' ' : ch;
    t.text = words;
    const google::protobuf::Message* change = ChangeOf(e);
    const auto* field = change->GetReflection()->GetOneofFieldDescriptor(
        *change, change->GetDescriptor()->oneof_decl(0));
    if (field != nullptr && field->type() == google::protobuf::FieldDescriptor::TYPE_MESSAGE) {
      const std::string part = PartOf(change->GetReflection()->GetMessage(*change, field));
      if (!part.empty()) t.text += " " + part;
    }
  }
  return t;
}

nlohmann::ordered_json EventJson(const pb::Event& e) {
  std::string change_json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(e, &change_json, options);
  EventText t = Describe(e);
  return {{"op", ChangeKind(e)},
          {"object", t.object},
          {"description", t.text},
          {"change", nlohmann::ordered_json::parse(change_json, nullptr, false)}};
}

std::string OriginName(pb::Origin origin) {
  return Lower(Short(pb::Origin_Name(origin), "ORIGIN_"));
}

DiffSummary PrintChanges(const Context& ctx, const std::string& schema,
                         const std::vector<pb::Event>& events) {
  std::map<std::string, std::vector<EventText>> by_object;
  std::vector<std::string> order;
  for (const auto& e : events) {
    EventText t = Describe(e);
    if (!by_object.count(t.object)) order.push_back(t.object);
    by_object[t.object].push_back(t);
  }
  DiffSummary sum;
  for (const auto& object : order) {
    const auto& texts = by_object[object];
    char sign = texts.size() == 1 && texts[0].sign != '~' ? texts[0].sign : '~';
    if (texts.size() == 1 && texts[0].sign == '-' && texts[0].text.rfind("drop table", 0) != 0) sign = '~';
    if (texts.size() == 1 && texts[0].sign == '+' && texts[0].text.rfind("create", 0) != 0) sign = '~';
    Color c = sign == '+' ? Color::kGreen : sign == '-' || sign == '!' ? Color::kRed : Color::kYellow;
    if (sign == '+') ++sum.add;
    else if (sign == '-') ++sum.destroy;
    else if (sign == '!') { ++sum.add; ++sum.destroy; }
    else ++sum.change;
    *ctx.out << ctx.Paint(c, fmt::format("{} {}:{}", sign, schema, object)) << "\n";
    for (const auto& t : texts) *ctx.out << "    " << t.sign << " " << t.text << "\n";
  }
  return sum;
}

void PrintSummaryLine(const Context& ctx, const DiffSummary& s, const std::string& what) {
  *ctx.out << fmt::format("{}: {} to add, {} to change, {} to destroy.\n", what, s.add, s.change,
                          s.destroy);
}

}  // namespace strata::cli
