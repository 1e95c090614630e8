#include "adapters/backend/backend.h"

#include <fmt/format.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/type_resolver_util.h>

#include <algorithm>

#include "engine/diff/diff.h"
#include "engine/state/fragments.h"

namespace strata::backend {

std::string_view ActionName(Action action) {
  switch (action) {
    case Action::kCreate: return "create";
    case Action::kUpdate: return "update";
    case Action::kReplace: return "replace";
    case Action::kDelete: return "delete";
  }
  return "update";
}

size_t Plan::OperationCount() const {
  size_t n = 0;
  for (const auto& o : objects) n += o.operations.size();
  return n;
}

bool Plan::AnyBlocked() const {
  return std::any_of(objects.begin(), objects.end(), [](const ObjectPlan& o) { return o.blocked; });
}

Result<std::vector<std::string>> Target::Names() {
  STRATA_ASSIGN_OR_RETURN(std::unique_ptr<Live> live, Read(ReadRequest{}));
  std::vector<std::string> names;
  for (const LiveObject& o : live->Objects()) names.push_back(o.name);
  std::sort(names.begin(), names.end());
  return names;
}

Result<SourceStatus> Backend::Status(const SourceSpec& source, const pb::SchemaState& recorded,
                                     const std::set<std::string>&) const {
  SourceStatus s;
  s.noun = "change";
  s.next_step = "run strata generate";
  STRATA_ASSIGN_OR_RETURN(pb::SchemaState desired, LoadDesired(source));
  STRATA_ASSIGN_OR_RETURN(s.changes, Diff(recorded, desired));
  return s;
}

Result<std::vector<WrittenFile>> Backend::WriteFiles(const SourceSpec& source,
                                                     const pb::SchemaState&,
                                                     const WriteFilesRequest&) const {
  return Status::Unimplemented(
      fmt::format("schema {}: {} objects cannot be written as files", source.name, name()));
}

Result<pb::SchemaState> Backend::ReadImportFile(const std::string& format,
                                                const std::string&) const {
  return Status::InvalidArgument(
      fmt::format("{} imports no \"{}\" files", name(), format));
}

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

// The part of an object an event is about ("email text" for an added column, "users_pkey" for
// a constraint), found by field name so every change of the engine gets it.
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

}  // namespace

std::string ChangeKind(const pb::Event& e) {
  const google::protobuf::Message* change = ChangeOf(e);
  if (change == nullptr) return "unknown";
  const auto* field = change->GetReflection()->GetOneofFieldDescriptor(
      *change, change->GetDescriptor()->oneof_decl(0));
  return field == nullptr ? "unknown" : field->name();
}

char SignOf(std::string_view kind) {
  if (kind.rfind("create_", 0) == 0 || kind.rfind("add_", 0) == 0) return '+';
  if (kind.rfind("drop_", 0) == 0 || kind.rfind("remove_", 0) == 0) return '-';
  if (kind.rfind("replace_table", 0) == 0) return '!';
  return '~';
}

char ChangeSign(const pb::Event& e) {
  const google::protobuf::Message* change = ChangeOf(e);
  if (change == nullptr) return '~';
  const auto* field = change->GetReflection()->GetOneofFieldDescriptor(
      *change, change->GetDescriptor()->oneof_decl(0));
  return field == nullptr ? '~' : SignOf(field->name());
}

ChangeText Backend::DescribeChange(const pb::Event& e) const {
  const google::protobuf::Message* change = ChangeOf(e);
  if (change == nullptr) return {'~', "unknown change"};
  const auto* field = change->GetReflection()->GetOneofFieldDescriptor(
      *change, change->GetDescriptor()->oneof_decl(0));
  if (field == nullptr) return {'~', "unknown change"};
  ChangeText out;
  out.sign = SignOf(field->name());
  out.text = field->name();
  std::replace(out.text.begin(), out.text.end(), '_', ' ');
  if (field->type() == google::protobuf::FieldDescriptor::TYPE_MESSAGE) {
    const std::string part = PartOf(change->GetReflection()->GetMessage(*change, field));
    if (!part.empty()) out.text += " " + part;
  }
  return out;
}

nlohmann::ordered_json ProtoJson(const google::protobuf::Message& message) {
  // The JSON printer renders the wire bytes in their order: write them deterministically
  // (map entries sorted by key) and print those.
  static constexpr char kUrlPrefix[] = "type.googleapis.com";
  static google::protobuf::util::TypeResolver* const resolver =
      google::protobuf::util::NewTypeResolverForDescriptorPool(
          kUrlPrefix, google::protobuf::DescriptorPool::generated_pool());
  std::string binary;
  {
    google::protobuf::io::StringOutputStream stream(&binary);
    google::protobuf::io::CodedOutputStream out(&stream);
    out.SetSerializationDeterministic(true);
    message.SerializePartialToCodedStream(&out);
  }
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string text;
  (void)google::protobuf::util::BinaryToJsonString(
      resolver, std::string(kUrlPrefix) + "/" + message.GetDescriptor()->full_name(), binary,
      &text, options);
  return nlohmann::ordered_json::parse(text, nullptr, false);
}

nlohmann::ordered_json Backend::ObjectJson(const pb::SchemaState& fragment) const {
  return ProtoJson(fragment);
}

Result<std::string> Backend::ObjectText(const pb::SchemaState& fragment, const std::string&) const {
  return ObjectJson(fragment).dump(2) + "\n";
}

std::vector<std::string> Backend::SummaryLines(const pb::SchemaState& schema) const {
  return ObjectNames(schema);
}

std::vector<std::string> Backend::SummaryLinesOfParts(const pb::SchemaState& first,
                                                      const pb::SchemaState& second) const {
  std::vector<std::string> lines = SummaryLines(first);
  std::vector<std::string> more = SummaryLines(second);
  lines.insert(lines.end(), std::make_move_iterator(more.begin()),
               std::make_move_iterator(more.end()));
  return lines;
}

}  // namespace strata::backend
