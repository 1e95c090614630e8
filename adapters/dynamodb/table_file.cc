// Table file parsing. Both formats are read into a pb::DynamoTable while recording the line
// each part came from (TablePlaces); the rules DynamoDB itself enforces (names, index counts,
// billing versus capacity, projections) are then checked once for both formats, with each
// format's own words for the fix (Vocabulary). Parser exceptions stop at this file's edge.
#include "adapters/dynamodb/table_file.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <vector>

#include "engine/state/canonical.h"

namespace strata::dynamodb {
namespace {

using nlohmann::json;
using Pointer = JsonDocument::Pointer;
using KeyList = std::vector<std::string_view>;

constexpr int kMaxLocalIndexes = 5;
constexpr int kMaxGlobalIndexes = 20;
constexpr size_t kMaxAttributeNameBytes = 255;
constexpr size_t kMaxTagKeyChars = 128;

Status ErrorAt(std::string_view file, int line, std::string_view message) {
  return Status::InvalidArgument(fmt::format("{}:{}: {}", file, line, message));
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// "a, b or c": how messages list the accepted values.
std::string JoinOr(const KeyList& words) {
  if (words.size() == 1) return std::string(words[0]);
  std::string out;
  for (size_t i = 0; i + 1 < words.size(); ++i) out += fmt::format("{}{}", i ? ", " : "", words[i]);
  return out + " or " + std::string(words.back());
}

// ---- Near misses for "did you mean" -------------------------------------------------------

// Optimal string alignment distance (a swap of two neighbours counts as one edit), ignoring
// case, so that "sortkey", "Sort_Key" and "sotr_key" all land on "sort_key".
int EditDistance(std::string_view a_in, std::string_view b_in) {
  const std::string a = Lower(a_in), b = Lower(b_in);
  std::vector<std::vector<int>> d(a.size() + 1, std::vector<int>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = static_cast<int>(i);
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

// Words people reach for that are far, by spelling, from the key they mean.
struct Alias {
  std::string_view from;
  std::string_view to;
};
constexpr Alias kAliases[] = {
    {"hash_key", "partition_key"}, {"range_key", "sort_key"}, {"pk", "partition_key"},
    {"sk", "sort_key"}, {"gsi", "global_indexes"}, {"gsis", "global_indexes"},
    {"lsi", "local_indexes"}, {"lsis", "local_indexes"}, {"time_to_live", "ttl"},
    {"billing_mode", "billing"}, {"throughput", "capacity"}, {"name", "table"},
    {"table_name", "table"}, {"tablename", "table"}, {"keyschema", "partition_key"},
    {"provisioned_throughput", "capacity"}, {"provisionedthroughput", "capacity"},
    {"billingmode", "billing"}, {"globalsecondaryindexes", "global_indexes"},
    {"localsecondaryindexes", "local_indexes"}, {"timetolivespecification", "ttl"},
    {"streamspecification", "stream"}, {"deletionprotectionenabled", "deletion_protection"},
    {"read_capacity", "read"}, {"write_capacity", "write"}, {"attributes", "include"},
};

// The allowed key `word` most likely meant, or "" when none is close.
std::string NearestKey(std::string_view word, const KeyList& allowed) {
  const std::string lower = Lower(word);
  for (const auto& alias : kAliases) {
    if (alias.from != lower) continue;
    if (std::find(allowed.begin(), allowed.end(), alias.to) != allowed.end()) {
      return std::string(alias.to);
    }
  }
  std::string best;
  int best_distance = 1 << 20;
  for (std::string_view candidate : allowed) {
    int limit = std::max<int>(1, static_cast<int>(std::min(word.size(), candidate.size())) / 3);
    int distance = EditDistance(word, candidate);
    if (distance <= limit && distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

std::string UnknownKeyMessage(std::string_view key, std::string_view context,
                              const KeyList& allowed) {
  std::string near = NearestKey(key, allowed);
  if (!near.empty()) {
    return fmt::format("unknown key \"{}\" in {}; did you mean \"{}\"?", key, context, near);
  }
  return fmt::format("unknown key \"{}\" in {}; expected one of: {}", key, context,
                     fmt::join(allowed, ", "));
}

// "unknown stream view type "x"; use a, b or c".
std::string UnknownValueMessage(std::string_view what, std::string_view value,
                                const KeyList& accepted) {
  return fmt::format("unknown {} \"{}\"; use {}", what, value, JoinOr(accepted));
}

// ---- Rules shared by both formats ---------------------------------------------------------

// DynamoDB's rule for table and index names.
bool IsValidName(std::string_view name) {
  if (name.size() < 3 || name.size() > 255) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  });
}

std::string InvalidNameMessage(std::string_view what, std::string_view name) {
  return fmt::format(
      "{} name \"{}\" is invalid: use 3 to 255 characters from a-z, A-Z, 0-9, '_', '-' and '.'",
      what, name);
}

// Where the parts of one index were written (0: not written).
struct IndexPlace {
  int name_line = 0;
  int sort_key_line = 0;
  int projection_line = 0;
  int throughput_line = 0;
};

// Where the parts of a table were written, for the errors found after reading it. The index
// lists run parallel to the table's indexes in file order (before canonical sorting).
struct TablePlaces {
  int root_line = 1;
  int name_line = 1;
  int sort_key_line = 0;
  int billing_line = 0;
  int throughput_line = 0;
  int global_indexes_line = 0;
  int local_indexes_line = 0;
  std::vector<IndexPlace> global_indexes;
  std::vector<IndexPlace> local_indexes;
};

// How each format spells what the shared rules' messages tell the user to write.
struct Vocabulary {
  std::string_view throughput_key;   // the key that sets capacity
  std::string_view throughput_form;  // how to write it
  std::string_view provisioned;      // the billing setting that needs capacity
  std::string_view pay_per_request;  // the billing setting that forbids it
  std::string_view include;          // the INCLUDE projection
  std::string_view include_form;     // how to list INCLUDE attributes
  std::string_view table_sort_key;   // how to give the table a sort key
};

constexpr Vocabulary kYamlWords{
    "capacity", "capacity: { read: N, write: N }", "billing: provisioned",
    "billing: pay_per_request", "projection include", "projection: { include: [attr, ...] }",
    "sort_key"};
constexpr Vocabulary kJsonWords{
    "ProvisionedThroughput", "ProvisionedThroughput", "BillingMode PROVISIONED",
    "BillingMode PAY_PER_REQUEST", "ProjectionType INCLUDE", "NonKeyAttributes",
    "a RANGE element in KeySchema"};

// Checks a table read from one of the formats against the rules DynamoDB enforces.
class TableRules {
 public:
  TableRules(const pb::DynamoTable& table, const TablePlaces& at, const Vocabulary& words,
             std::string_view file)
      : t_(table), at_(at), words_(words), file_(file) {}

  Status Check() const {
    STRATA_RETURN_IF_ERROR(CheckNames());
    STRATA_RETURN_IF_ERROR(CheckIndexCounts());
    STRATA_RETURN_IF_ERROR(CheckKeys());
    STRATA_RETURN_IF_ERROR(CheckBilling());
    return CheckProjections();
  }

 private:
  Status Error(int line, std::string_view message) const {
    return ErrorAt(file_, line ? line : at_.root_line, message);
  }

  Status CheckNames() const {
    if (!IsValidName(t_.name())) {
      return Error(at_.name_line, InvalidNameMessage("table", t_.name()));
    }
    std::map<std::string, int> seen;  // index name -> line
    auto check = [&](const std::string& name, const IndexPlace& place) -> Status {
      if (!IsValidName(name)) return Error(place.name_line, InvalidNameMessage("index", name));
      auto [it, fresh] = seen.emplace(name, place.name_line);
      if (fresh) return Status::Ok();
      return Error(place.name_line,
                   fmt::format("duplicate index name \"{}\" (first at line {}); global and local "
                               "index names must all differ",
                               name, it->second));
    };
    for (int i = 0; i < t_.global_indexes_size(); ++i) {
      STRATA_RETURN_IF_ERROR(check(t_.global_indexes(i).name(), at_.global_indexes[i]));
    }
    for (int i = 0; i < t_.local_indexes_size(); ++i) {
      STRATA_RETURN_IF_ERROR(check(t_.local_indexes(i).name(), at_.local_indexes[i]));
    }
    return Status::Ok();
  }

  Status CheckIndexCounts() const {
    if (t_.local_indexes_size() > kMaxLocalIndexes) {
      return Error(at_.local_indexes_line,
                   fmt::format("{} local indexes; DynamoDB allows at most {} per table",
                               t_.local_indexes_size(), kMaxLocalIndexes));
    }
    if (t_.global_indexes_size() > kMaxGlobalIndexes) {
      return Error(at_.global_indexes_line,
                   fmt::format("{} global indexes; DynamoDB allows at most {} per table",
                               t_.global_indexes_size(), kMaxGlobalIndexes));
    }
    if (t_.local_indexes_size() > 0 && t_.key().sort_key().empty()) {
      return Error(at_.local_indexes[0].name_line,
                   fmt::format("local index \"{}\" needs a table sort key; add {} to the table "
                               "or make it a global index",
                               t_.local_indexes(0).name(), words_.table_sort_key));
    }
    return Status::Ok();
  }

  Status CheckKeys() const {
    auto same = [](const pb::DynamoKeySchema& k) { return k.partition_key() == k.sort_key(); };
    if (same(t_.key())) {
      return Error(at_.sort_key_line,
                   fmt::format("partition key and sort key are both \"{}\"; use two different "
                               "attributes",
                               t_.key().sort_key()));
    }
    for (int i = 0; i < t_.global_indexes_size(); ++i) {
      const auto& g = t_.global_indexes(i);
      if (!same(g.key())) continue;
      return Error(at_.global_indexes[i].sort_key_line,
                   fmt::format("global index \"{}\": partition key and sort key are both \"{}\"; "
                               "use two different attributes",
                               g.name(), g.key().sort_key()));
    }
    for (int i = 0; i < t_.local_indexes_size(); ++i) {
      const auto& l = t_.local_indexes(i);
      if (l.sort_key() != t_.key().partition_key()) continue;
      return Error(at_.local_indexes[i].sort_key_line,
                   fmt::format("local index \"{}\": its sort key \"{}\" is the table's partition "
                               "key; use another attribute",
                               l.name(), l.sort_key()));
    }
    return Status::Ok();
  }

  Status CheckBilling() const {
    const bool provisioned = t_.billing_mode() == pb::DYNAMO_BILLING_MODE_PROVISIONED;
    if (provisioned && !t_.has_throughput()) {
      return Error(at_.billing_line, fmt::format("{} needs {} on the table", words_.provisioned,
                                                 words_.throughput_form));
    }
    if (!provisioned && t_.has_throughput()) return NotAllowed(at_.throughput_line, "");
    for (int i = 0; i < t_.global_indexes_size(); ++i) {
      const auto& g = t_.global_indexes(i);
      const std::string who = fmt::format("global index \"{}\": ", g.name());
      if (!provisioned && g.has_throughput()) {
        return NotAllowed(at_.global_indexes[i].throughput_line, who);
      }
      if (provisioned && !g.has_throughput()) {
        return Error(at_.global_indexes[i].name_line,
                     fmt::format("{}{} needs {} on every global index", who, words_.provisioned,
                                 words_.throughput_form));
      }
    }
    return Status::Ok();
  }

  Status NotAllowed(int line, std::string_view who) const {
    return Error(line, fmt::format("{}{} is not allowed with {}; remove it or use {}", who,
                                   words_.throughput_key, words_.pay_per_request,
                                   words_.provisioned));
  }

  Status CheckProjections() const {
    auto check = [&](const std::string& index, const pb::DynamoProjection& p, int line) {
      if (p.type() != pb::DYNAMO_PROJECTION_TYPE_INCLUDE || p.non_key_attributes_size() > 0) {
        return Status::Ok();
      }
      return Error(line, fmt::format("index \"{}\": {} needs at least one attribute; list them "
                                     "in {}",
                                     index, words_.include, words_.include_form));
    };
    for (int i = 0; i < t_.global_indexes_size(); ++i) {
      const auto& g = t_.global_indexes(i);
      const int line = at_.global_indexes[i].projection_line;
      STRATA_RETURN_IF_ERROR(check(g.name(), g.projection(), line));
    }
    for (int i = 0; i < t_.local_indexes_size(); ++i) {
      const auto& l = t_.local_indexes(i);
      const int line = at_.local_indexes[i].projection_line;
      STRATA_RETURN_IF_ERROR(check(l.name(), l.projection(), line));
    }
    return Status::Ok();
  }

  const pb::DynamoTable& t_;
  const TablePlaces& at_;
  const Vocabulary& words_;
  std::string_view file_;
};

// Checks an attribute name used by a key; "" when it is fine.
std::string AttributeNameProblem(std::string_view name) {
  if (name.empty()) return "key attribute name is empty";
  if (name.size() > kMaxAttributeNameBytes) {
    return fmt::format("key attribute name \"{}...\" is {} bytes; DynamoDB allows at most {}",
                       name.substr(0, 20), name.size(), kMaxAttributeNameBytes);
  }
  return "";
}

std::string TagKeyProblem(std::string_view key) {
  if (key.empty()) return "tag key is empty";
  if (key.size() > kMaxTagKeyChars * 4) {  // bytes; at most 4 per character in UTF-8
    return fmt::format("tag key \"{}...\" is too long; DynamoDB allows {} characters",
                       key.substr(0, 20), kMaxTagKeyChars);
  }
  return "";
}

// The accepted words for an enum, in the order messages list them.
template <typename E>
struct EnumWord {
  std::string_view word;
  E value;
};

template <typename E, size_t N>
KeyList WordsOf(const EnumWord<E> (&words)[N]) {
  KeyList out;
  for (const auto& w : words) out.push_back(w.word);
  return out;
}

constexpr EnumWord<pb::DynamoAttributeType> kAttributeTypes[] = {
    {"S", pb::DYNAMO_ATTRIBUTE_TYPE_S},
    {"N", pb::DYNAMO_ATTRIBUTE_TYPE_N},
    {"B", pb::DYNAMO_ATTRIBUTE_TYPE_B},
};

// "BOOL is not a key type; use S, N or B".
std::string BadTypeMessage(std::string_view type) {
  return fmt::format("{} is not a key type; use {}", type, JoinOr(WordsOf(kAttributeTypes)));
}

// Looks `word` up among `words`, ignoring case when `any_case`; false when absent.
template <typename E, size_t N>
bool LookUp(const EnumWord<E> (&words)[N], std::string_view word, bool any_case, E* out) {
  for (const auto& w : words) {
    if (w.word == word || (any_case && Lower(w.word) == Lower(word))) {
      *out = w.value;
      return true;
    }
  }
  return false;
}

// ---- YAML ---------------------------------------------------------------------------------

constexpr EnumWord<pb::DynamoBillingMode> kYamlBilling[] = {
    {"pay_per_request", pb::DYNAMO_BILLING_MODE_PAY_PER_REQUEST},
    {"provisioned", pb::DYNAMO_BILLING_MODE_PROVISIONED},
};
constexpr EnumWord<pb::DynamoStreamViewType> kYamlStreams[] = {
    {"disabled", pb::DYNAMO_STREAM_DISABLED},
    {"keys_only", pb::DYNAMO_STREAM_KEYS_ONLY},
    {"new_image", pb::DYNAMO_STREAM_NEW_IMAGE},
    {"old_image", pb::DYNAMO_STREAM_OLD_IMAGE},
    {"new_and_old_images", pb::DYNAMO_STREAM_NEW_AND_OLD_IMAGES},
};
constexpr EnumWord<pb::DynamoTableClass> kYamlTableClasses[] = {
    {"standard", pb::DYNAMO_TABLE_CLASS_STANDARD},
    {"standard_infrequent_access", pb::DYNAMO_TABLE_CLASS_STANDARD_INFREQUENT_ACCESS},
};
constexpr EnumWord<pb::DynamoProjectionType> kYamlProjections[] = {
    {"all", pb::DYNAMO_PROJECTION_TYPE_ALL},
    {"keys_only", pb::DYNAMO_PROJECTION_TYPE_KEYS_ONLY},
};

const KeyList kYamlTableKeys = {"table",       "partition_key",       "sort_key",
                                "billing",     "capacity",            "global_indexes",
                                "local_indexes", "ttl",               "stream",
                                "table_class", "deletion_protection", "tags"};
const KeyList kYamlGlobalIndexKeys = {"name", "partition_key", "sort_key", "projection",
                                      "capacity"};
const KeyList kYamlLocalIndexKeys = {"name", "sort_key", "projection"};
const KeyList kYamlKeyKeys = {"name", "type"};
const KeyList kYamlCapacityKeys = {"read", "write"};
const KeyList kYamlProjectionKeys = {"include"};

// Lists and maps that may be written with nothing under them (`tags:`).
bool MayBeEmpty(std::string_view key) {
  return key == "global_indexes" || key == "local_indexes" || key == "tags";
}

int LineOf(const YAML::Node& node) { return node.Mark().line >= 0 ? node.Mark().line + 1 : 0; }

std::string_view KindName(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: return "a map";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Scalar: return "a single value";
    default: return "nothing";
  }
}

// The members of one YAML map, in file order, checked for repeated and unknown keys.
struct YamlField {
  std::string key;
  YAML::Node key_node;
  YAML::Node value;
};

class YamlReader {
 public:
  explicit YamlReader(std::string_view file) : file_(file) {}

  Result<pb::DynamoTable> Read(const YAML::Node& root);

 private:
  using Fields = std::vector<YamlField>;

  Status Error(const YAML::Node& node, std::string_view message) const {
    int line = LineOf(node);
    return ErrorAt(file_, line ? line : places_.root_line, message);
  }
  static const YamlField* Find(const Fields& fields, std::string_view key) {
    for (const auto& f : fields) {
      if (f.key == key) return &f;
    }
    return nullptr;
  }

  Result<Fields> MapFields(const YAML::Node& node, std::string_view context,
                           const KeyList* allowed, std::string_view example) const;
  Result<std::string> Scalar(const YAML::Node& node, std::string_view what) const;
  template <typename E, size_t N>
  Status Enum(const YAML::Node& node, std::string_view what, const EnumWord<E> (&words)[N],
              E* out) const;
  Status KeyAttribute(const YAML::Node& node, std::string_view what, std::string* name);
  Status Capacity(const YAML::Node& node, std::string_view what, pb::DynamoThroughput* out) const;
  Status Projection(const YAML::Node& node, std::string_view what, pb::DynamoProjection* out,
                    int* line) const;
  Status TableKeys(const Fields& fields);
  Status Billing(const Fields& fields);
  Status GlobalIndex(const YAML::Node& node);
  Status LocalIndex(const YAML::Node& node);
  template <typename Each>
  Status IndexList(const Fields& fields, std::string_view key, int* line, Each each);
  Status Settings(const Fields& fields);
  Status Tags(const YAML::Node& node);

  std::string_view file_;
  pb::DynamoTable table_;
  TablePlaces places_;
  std::map<std::string, std::pair<pb::DynamoAttributeType, int>> types_;  // name -> type, line
};

Result<YamlReader::Fields> YamlReader::MapFields(const YAML::Node& node,
                                                 std::string_view context,
                                                 const KeyList* allowed,
                                                 std::string_view example) const {
  if (!node.IsMap()) {
    return Error(node, fmt::format("{} must be a map like {}, not {}", context, example,
                                   KindName(node)));
  }
  Fields fields;
  for (const auto& member : node) {
    if (!member.first.IsScalar()) return Error(member.first, "keys must be plain names");
    std::string key = member.first.Scalar();
    if (const YamlField* first = Find(fields, key)) {
      return Error(member.first, fmt::format("duplicate key \"{}\" in {} (first at line {})", key,
                                             context, LineOf(first->key_node)));
    }
    if (allowed && std::find(allowed->begin(), allowed->end(), key) == allowed->end()) {
      return Error(member.first, UnknownKeyMessage(key, context, *allowed));
    }
    // A missing value is marked where the next token starts: point at the key instead.
    if (allowed && member.second.IsNull() && !MayBeEmpty(key)) {
      return Error(member.first, fmt::format("{} has no value", key));
    }
    fields.push_back({std::move(key), member.first, member.second});
  }
  return fields;
}

Result<std::string> YamlReader::Scalar(const YAML::Node& node, std::string_view what) const {
  if (node.IsNull()) return Error(node, fmt::format("{} has no value", what));
  if (!node.IsScalar()) {
    return Error(node, fmt::format("{} must be a single value, not {}", what, KindName(node)));
  }
  return node.Scalar();
}

template <typename E, size_t N>
Status YamlReader::Enum(const YAML::Node& node, std::string_view what,
                        const EnumWord<E> (&words)[N], E* out) const {
  STRATA_ASSIGN_OR_RETURN(std::string word, Scalar(node, what));
  if (LookUp(words, word, /*any_case=*/true, out)) return Status::Ok();
  return Error(node, UnknownValueMessage(what, word, WordsOf(words)));
}

// `{ name: ATTR, type: S }`; remembers the type so every use of ATTR agrees on it.
Status YamlReader::KeyAttribute(const YAML::Node& node, std::string_view what,
                                std::string* name) {
  STRATA_ASSIGN_OR_RETURN(Fields fields,
                          MapFields(node, what, &kYamlKeyKeys, "{ name: ATTR, type: S }"));
  const YamlField* name_field = Find(fields, "name");
  if (!name_field) {
    return Error(node, fmt::format("{} needs a name: {{ name: ATTR, type: S }}", what));
  }
  STRATA_ASSIGN_OR_RETURN(*name, Scalar(name_field->value, fmt::format("{} name", what)));
  if (std::string problem = AttributeNameProblem(*name); !problem.empty()) {
    return Error(name_field->value, problem);
  }
  const YamlField* type_field = Find(fields, "type");
  if (!type_field) {
    return Error(node, fmt::format("key attribute \"{}\" has no type; add type: S, N or B", *name));
  }
  STRATA_ASSIGN_OR_RETURN(std::string word, Scalar(type_field->value, "type"));
  pb::DynamoAttributeType type = pb::DYNAMO_ATTRIBUTE_TYPE_UNSPECIFIED;
  if (!LookUp(kAttributeTypes, word, /*any_case=*/true, &type)) {
    return Error(type_field->value, BadTypeMessage(word));
  }
  const int line = LineOf(type_field->value);
  auto [it, fresh] = types_.emplace(*name, std::make_pair(type, line));
  if (!fresh && it->second.first != type) {
    return Error(type_field->value,
                 fmt::format("key attribute \"{}\" is {} here but {} at line {}; an attribute "
                             "has one type in every key",
                             *name, word, kAttributeTypes[it->second.first - 1].word,
                             it->second.second));
  }
  return Status::Ok();
}

Status YamlReader::Capacity(const YAML::Node& node, std::string_view what,
                            pb::DynamoThroughput* out) const {
  STRATA_ASSIGN_OR_RETURN(Fields fields, MapFields(node, what, &kYamlCapacityKeys,
                                                   "{ read: N, write: N }"));
  for (std::string_view part : kYamlCapacityKeys) {
    const YamlField* field = Find(fields, part);
    if (!field) {
      return Error(node, fmt::format("{} needs both read and write: {{ read: N, write: N }}",
                                     what));
    }
    int64_t units = 0;
    if (!field->value.IsScalar() || !YAML::convert<int64_t>::decode(field->value, units) ||
        units < 1) {
      return Error(field->value,
                   fmt::format("{} {} must be a whole number of at least 1", what, part));
    }
    if (part == "read") out->set_read_capacity_units(units);
    if (part == "write") out->set_write_capacity_units(units);
  }
  return Status::Ok();
}

// `all`, `keys_only` or `{ include: [attr, ...] }`.
Status YamlReader::Projection(const YAML::Node& node, std::string_view what,
                              pb::DynamoProjection* out, int* line) const {
  *line = LineOf(node);
  if (node.IsScalar() && Lower(node.Scalar()) == "include") {
    return Error(node, fmt::format("{} projection include needs its attributes; write "
                                   "projection: {{ include: [attr, ...] }}",
                                   what));
  }
  if (!node.IsMap()) {
    pb::DynamoProjectionType type = pb::DYNAMO_PROJECTION_TYPE_ALL;
    STRATA_ASSIGN_OR_RETURN(std::string word, Scalar(node, fmt::format("{} projection", what)));
    if (!LookUp(kYamlProjections, word, /*any_case=*/true, &type)) {
      return Error(node, fmt::format("unknown projection \"{}\"; use all, keys_only or "
                                     "{{ include: [attr, ...] }}",
                                     word));
    }
    out->set_type(type);
    return Status::Ok();
  }
  STRATA_ASSIGN_OR_RETURN(Fields fields, MapFields(node, fmt::format("{} projection", what),
                                                   &kYamlProjectionKeys,
                                                   "{ include: [attr, ...] }"));
  const YamlField* include = Find(fields, "include");
  if (!include || !include->value.IsSequence()) {
    return Error(include ? include->value : node,
                 "projection include must be a list of attribute names: { include: [a, b] }");
  }
  out->set_type(pb::DYNAMO_PROJECTION_TYPE_INCLUDE);
  for (const auto& attr : include->value) {
    STRATA_ASSIGN_OR_RETURN(std::string name, Scalar(attr, "projection include attribute"));
    out->add_non_key_attributes(name);
  }
  return Status::Ok();
}

Status YamlReader::TableKeys(const Fields& fields) {
  const YamlField* name = Find(fields, "table");
  if (!name) return ErrorAt(file_, places_.root_line, "missing key \"table\"; name the table "
                                                      "with table: NAME");
  places_.name_line = LineOf(name->value);
  STRATA_ASSIGN_OR_RETURN(*table_.mutable_name(), Scalar(name->value, "table"));
  const YamlField* pk = Find(fields, "partition_key");
  if (!pk) {
    return ErrorAt(file_, places_.root_line,
                   "missing key \"partition_key\"; add partition_key: { name: ATTR, type: S }");
  }
  auto* key = table_.mutable_key();
  STRATA_RETURN_IF_ERROR(KeyAttribute(pk->value, "partition_key", key->mutable_partition_key()));
  if (const YamlField* sk = Find(fields, "sort_key")) {
    places_.sort_key_line = LineOf(sk->value);
    STRATA_RETURN_IF_ERROR(KeyAttribute(sk->value, "sort_key", key->mutable_sort_key()));
  }
  return Status::Ok();
}

// Billing defaults to pay_per_request, or to provisioned when only capacity is given.
Status YamlReader::Billing(const Fields& fields) {
  const YamlField* capacity = Find(fields, "capacity");
  if (capacity) {
    places_.throughput_line = LineOf(capacity->key_node);
    STRATA_RETURN_IF_ERROR(Capacity(capacity->value, "capacity", table_.mutable_throughput()));
  }
  pb::DynamoBillingMode mode = capacity ? pb::DYNAMO_BILLING_MODE_PROVISIONED
                                        : pb::DYNAMO_BILLING_MODE_PAY_PER_REQUEST;
  if (const YamlField* billing = Find(fields, "billing")) {
    places_.billing_line = LineOf(billing->value);
    STRATA_RETURN_IF_ERROR(Enum(billing->value, "billing mode", kYamlBilling, &mode));
  }
  table_.set_billing_mode(mode);
  return Status::Ok();
}

Status YamlReader::GlobalIndex(const YAML::Node& node) {
  STRATA_ASSIGN_OR_RETURN(Fields fields, MapFields(node, "global index", &kYamlGlobalIndexKeys,
                                                   "{ name: NAME, partition_key: ... }"));
  auto* index = table_.add_global_indexes();
  IndexPlace& place = places_.global_indexes.emplace_back();
  place.name_line = LineOf(node);
  const YamlField* name = Find(fields, "name");
  if (!name) return Error(node, "global index needs a name: name: NAME");
  place.name_line = LineOf(name->value);
  STRATA_ASSIGN_OR_RETURN(*index->mutable_name(), Scalar(name->value, "global index name"));
  const std::string what = fmt::format("global index \"{}\"", index->name());
  const YamlField* pk = Find(fields, "partition_key");
  if (!pk) {
    return Error(node, fmt::format("{} needs partition_key: {{ name: ATTR, type: S }}", what));
  }
  auto* key = index->mutable_key();
  STRATA_RETURN_IF_ERROR(KeyAttribute(pk->value, what + " partition_key",
                                      key->mutable_partition_key()));
  if (const YamlField* sk = Find(fields, "sort_key")) {
    place.sort_key_line = LineOf(sk->value);
    STRATA_RETURN_IF_ERROR(KeyAttribute(sk->value, what + " sort_key", key->mutable_sort_key()));
  }
  index->mutable_projection()->set_type(pb::DYNAMO_PROJECTION_TYPE_ALL);
  if (const YamlField* p = Find(fields, "projection")) {
    STRATA_RETURN_IF_ERROR(Projection(p->value, what, index->mutable_projection(),
                                      &place.projection_line));
  }
  if (const YamlField* c = Find(fields, "capacity")) {
    place.throughput_line = LineOf(c->key_node);
    STRATA_RETURN_IF_ERROR(Capacity(c->value, what + " capacity", index->mutable_throughput()));
  }
  return Status::Ok();
}

Status YamlReader::LocalIndex(const YAML::Node& node) {
  if (node.IsMap() && node["partition_key"]) {
    return Error(node["partition_key"],
                 "a local index always uses the table's partition key; remove partition_key "
                 "(or make it a global index)");
  }
  STRATA_ASSIGN_OR_RETURN(Fields fields, MapFields(node, "local index", &kYamlLocalIndexKeys,
                                                   "{ name: NAME, sort_key: ... }"));
  auto* index = table_.add_local_indexes();
  IndexPlace& place = places_.local_indexes.emplace_back();
  const YamlField* name = Find(fields, "name");
  if (!name) return Error(node, "local index needs a name: name: NAME");
  place.name_line = LineOf(name->value);
  STRATA_ASSIGN_OR_RETURN(*index->mutable_name(), Scalar(name->value, "local index name"));
  const std::string what = fmt::format("local index \"{}\"", index->name());
  const YamlField* sk = Find(fields, "sort_key");
  if (!sk) return Error(node, fmt::format("{} needs sort_key: {{ name: ATTR, type: S }}", what));
  place.sort_key_line = LineOf(sk->value);
  STRATA_RETURN_IF_ERROR(KeyAttribute(sk->value, what + " sort_key", index->mutable_sort_key()));
  index->mutable_projection()->set_type(pb::DYNAMO_PROJECTION_TYPE_ALL);
  if (const YamlField* p = Find(fields, "projection")) {
    STRATA_RETURN_IF_ERROR(Projection(p->value, what, index->mutable_projection(),
                                      &place.projection_line));
  }
  return Status::Ok();
}

template <typename Each>
Status YamlReader::IndexList(const Fields& fields, std::string_view key, int* line, Each each) {
  const YamlField* list = Find(fields, key);
  if (!list) return Status::Ok();
  *line = LineOf(list->key_node);
  if (list->value.IsNull()) return Status::Ok();  // `global_indexes:` with nothing under it
  if (!list->value.IsSequence()) {
    return Error(list->value, fmt::format("{} must be a list (- name: ...), not {}", key,
                                          KindName(list->value)));
  }
  for (const auto& item : list->value) STRATA_RETURN_IF_ERROR((this->*each)(item));
  return Status::Ok();
}

Status YamlReader::Settings(const Fields& fields) {
  table_.set_stream(pb::DYNAMO_STREAM_DISABLED);
  table_.set_table_class(pb::DYNAMO_TABLE_CLASS_STANDARD);
  if (const YamlField* ttl = Find(fields, "ttl")) {
    STRATA_ASSIGN_OR_RETURN(*table_.mutable_ttl_attribute(), Scalar(ttl->value, "ttl"));
    if (table_.ttl_attribute().empty()) {
      return Error(ttl->value, "ttl needs an attribute name; remove the key to keep time to "
                               "live off");
    }
  }
  if (const YamlField* stream = Find(fields, "stream")) {
    pb::DynamoStreamViewType view = pb::DYNAMO_STREAM_DISABLED;
    STRATA_RETURN_IF_ERROR(Enum(stream->value, "stream view type", kYamlStreams, &view));
    table_.set_stream(view);
  }
  if (const YamlField* cls = Find(fields, "table_class")) {
    pb::DynamoTableClass table_class = pb::DYNAMO_TABLE_CLASS_STANDARD;
    STRATA_RETURN_IF_ERROR(Enum(cls->value, "table class", kYamlTableClasses, &table_class));
    table_.set_table_class(table_class);
  }
  if (const YamlField* dp = Find(fields, "deletion_protection")) {
    bool on = false;
    if (!dp->value.IsScalar() || !YAML::convert<bool>::decode(dp->value, on)) {
      return Error(dp->value, "deletion_protection must be true or false");
    }
    table_.set_deletion_protection(on);
  }
  if (const YamlField* tags = Find(fields, "tags")) STRATA_RETURN_IF_ERROR(Tags(tags->value));
  return Status::Ok();
}

Status YamlReader::Tags(const YAML::Node& node) {
  if (node.IsNull()) return Status::Ok();
  STRATA_ASSIGN_OR_RETURN(Fields fields, MapFields(node, "tags", nullptr, "{ team: payments }"));
  for (const auto& tag : fields) {
    if (std::string problem = TagKeyProblem(tag.key); !problem.empty()) {
      return Error(tag.key_node, problem);
    }
    if (tag.value.IsNull()) {
      return Error(tag.key_node, fmt::format("tag \"{}\" has no value; write {}: \"\" for an "
                                             "empty one",
                                             tag.key, tag.key));
    }
    STRATA_ASSIGN_OR_RETURN(std::string value, Scalar(tag.value, fmt::format("tag \"{}\"",
                                                                             tag.key)));
    (*table_.mutable_tags())[tag.key] = value;
  }
  return Status::Ok();
}

Result<pb::DynamoTable> YamlReader::Read(const YAML::Node& root) {
  if (root.IsNull()) {
    return ErrorAt(file_, 1, "no table here; a table file starts with table: NAME");
  }
  places_.root_line = std::max(1, LineOf(root));
  STRATA_ASSIGN_OR_RETURN(Fields fields, MapFields(root, "table file", &kYamlTableKeys,
                                                   "{ table: NAME, partition_key: ... }"));
  STRATA_RETURN_IF_ERROR(TableKeys(fields));
  STRATA_RETURN_IF_ERROR(Billing(fields));
  STRATA_RETURN_IF_ERROR(IndexList(fields, "global_indexes", &places_.global_indexes_line,
                                   &YamlReader::GlobalIndex));
  STRATA_RETURN_IF_ERROR(IndexList(fields, "local_indexes", &places_.local_indexes_line,
                                   &YamlReader::LocalIndex));
  STRATA_RETURN_IF_ERROR(Settings(fields));
  STRATA_RETURN_IF_ERROR(TableRules(table_, places_, kYamlWords, file_).Check());
  for (const auto& [name, type_line] : types_) {
    auto* attr = table_.add_attributes();
    attr->set_name(name);
    attr->set_type(type_line.first);
  }
  CanonicalizeDynamoTable(&table_);
  return std::move(table_);
}

// "yaml-cpp: error at line 2, column 1: end of sequence flow not found" -> the last part.
Status YamlSyntaxError(std::string_view file, const YAML::Exception& e) {
  return ErrorAt(file, e.mark.line >= 0 ? e.mark.line + 1 : 1,
                 fmt::format("invalid YAML: {}", e.msg));
}

}  // namespace

// ---- JSON with lines ----------------------------------------------------------------------

// Builds a JsonDocument from nlohmann's SAX events, noting the line of every value. The line
// is that of the last character the lexer has read: the token just completed (a number's
// one-character lookahead is never counted, so a number at the end of a line stays there).
class JsonLineRecorder : public nlohmann::json_sax<json> {
 public:
  JsonLineRecorder(JsonDocument* doc, const char* begin, const char* const* read_end)
      : doc_(doc), counted_(begin), read_end_(read_end) {}

  Status status;  // the first error; Ok while parsing succeeds

  bool null() override { return Scalar(nullptr); }
  bool boolean(bool v) override { return Scalar(v); }
  bool number_integer(number_integer_t v) override { return Scalar(v); }
  bool number_unsigned(number_unsigned_t v) override { return Scalar(v); }
  bool number_float(number_float_t v, const string_t&) override { return Scalar(v); }
  bool string(string_t& v) override { return Scalar(std::move(v)); }
  bool binary(binary_t& v) override { return Scalar(json::binary(std::move(v))); }
  bool start_object(std::size_t) override { return Open(json::object()); }
  bool start_array(std::size_t) override { return Open(json::array()); }
  bool end_object() override { return Close(); }
  bool end_array() override { return Close(); }

  bool key(string_t& k) override {
    Frame& top = stack_.back();
    std::string pointer = top.pointer + "/" + Escape(k);
    if (top.value->contains(k)) {
      status = ErrorAt(doc_->file_name(), Line(),
                       fmt::format("duplicate key \"{}\" (first at line {})", k,
                                   doc_->lines_[pointer]));
      return false;
    }
    doc_->lines_[pointer] = Line();
    key_ = std::move(k);
    return true;
  }

  bool parse_error(std::size_t, const std::string&,
                   const nlohmann::detail::exception& e) override {
    // e.what(): "[json.exception.parse_error.101] parse error at line 3, column 2: syntax ..."
    std::string what = e.what();
    size_t column = what.find(", column ");
    size_t colon = column == std::string::npos ? column : what.find(": ", column);
    std::string reason = colon == std::string::npos ? what : what.substr(colon + 2);
    status = ErrorAt(doc_->file_name(), ErrorLine(what), "invalid JSON: " + reason);
    return false;
  }

 private:
  struct Frame {
    json* value;
    std::string pointer;
  };

  static std::string Escape(std::string_view key) {
    std::string out;
    for (char c : key) {
      if (c == '~') out += "~0";
      else if (c == '/') out += "~1";
      else out += c;
    }
    return out;
  }

  // The line nlohmann reports in its message (it counts lines itself).
  int ErrorLine(const std::string& what) {
    size_t at = what.find("at line ");
    if (at == std::string::npos) return Line();
    return std::atoi(what.c_str() + at + 8);
  }

  int Line() {
    const char* end = *read_end_ - 1;  // exclude the last character read (lookahead)
    for (; counted_ < end; ++counted_) line_ += *counted_ == '\n';
    return line_;
  }

  // Puts `v` where the parser is (root, array element or the member named by key_).
  json* Place(json v) {
    if (stack_.empty()) {
      doc_->root_ = std::move(v);
      doc_->lines_[""] = Line();
      return &doc_->root_;
    }
    Frame& top = stack_.back();
    if (top.value->is_array()) {
      doc_->lines_[top.pointer + "/" + std::to_string(top.value->size())] = Line();
      top.value->push_back(std::move(v));
      return &top.value->back();
    }
    json& slot = (*top.value)[key_];
    slot = std::move(v);
    return &slot;
  }

  std::string PointerOfLast() const {
    if (stack_.empty()) return "";
    const Frame& top = stack_.back();
    if (top.value->is_array()) return top.pointer + "/" + std::to_string(top.value->size() - 1);
    return top.pointer + "/" + Escape(key_);
  }

  bool Scalar(json v) {
    Place(std::move(v));
    return true;
  }
  bool Open(json container) {
    json* placed = Place(std::move(container));
    stack_.push_back({placed, PointerOfLast()});
    return true;
  }
  bool Close() {
    stack_.pop_back();
    return true;
  }

  JsonDocument* doc_;
  const char* counted_;
  const char* const* read_end_;
  int line_ = 1;
  std::vector<Frame> stack_;
  std::string key_;
};

namespace {

// An iterator over the text that publishes how far nlohmann's lexer has read.
struct ReadingIterator {
  using iterator_category = std::forward_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  const char* at;
  const char** read_end;

  reference operator*() const { return *at; }
  ReadingIterator& operator++() {
    *read_end = ++at;
    return *this;
  }
  ReadingIterator operator++(int) {
    ReadingIterator before = *this;
    ++*this;
    return before;
  }
  bool operator==(const ReadingIterator& other) const { return at == other.at; }
  bool operator!=(const ReadingIterator& other) const { return at != other.at; }
};

}  // namespace

Result<JsonDocument> JsonDocument::Parse(std::string_view text, std::string file_name) {
  JsonDocument doc;
  doc.file_name_ = std::move(file_name);
  const char* read_end = text.data();
  JsonLineRecorder recorder(&doc, text.data(), &read_end);
  try {
    bool ok = json::sax_parse(ReadingIterator{text.data(), &read_end},
                              ReadingIterator{text.data() + text.size(), &read_end}, &recorder);
    if (!ok) {
      if (!recorder.status.ok()) return recorder.status;
      return dynamodb::ErrorAt(doc.file_name_, 1, "invalid JSON");
    }
  } catch (const json::exception& e) {
    return dynamodb::ErrorAt(doc.file_name_, 1, fmt::format("invalid JSON: {}", e.what()));
  }
  return doc;
}

int JsonDocument::LineOf(const Pointer& pointer) const {
  for (Pointer p = pointer;; p = p.parent_pointer()) {
    auto it = lines_.find(p.to_string());
    if (it != lines_.end()) return it->second;
    if (p.empty()) return 1;
  }
}

Status JsonDocument::ErrorAt(const Pointer& pointer, std::string_view message) const {
  return dynamodb::ErrorAt(file_name_, LineOf(pointer), message);
}

namespace {

// ---- CreateTable JSON ---------------------------------------------------------------------

constexpr EnumWord<pb::DynamoBillingMode> kJsonBilling[] = {
    {"PROVISIONED", pb::DYNAMO_BILLING_MODE_PROVISIONED},
    {"PAY_PER_REQUEST", pb::DYNAMO_BILLING_MODE_PAY_PER_REQUEST},
};
constexpr EnumWord<pb::DynamoStreamViewType> kJsonStreams[] = {
    {"KEYS_ONLY", pb::DYNAMO_STREAM_KEYS_ONLY},
    {"NEW_IMAGE", pb::DYNAMO_STREAM_NEW_IMAGE},
    {"OLD_IMAGE", pb::DYNAMO_STREAM_OLD_IMAGE},
    {"NEW_AND_OLD_IMAGES", pb::DYNAMO_STREAM_NEW_AND_OLD_IMAGES},
};
constexpr EnumWord<pb::DynamoTableClass> kJsonTableClasses[] = {
    {"STANDARD", pb::DYNAMO_TABLE_CLASS_STANDARD},
    {"STANDARD_INFREQUENT_ACCESS", pb::DYNAMO_TABLE_CLASS_STANDARD_INFREQUENT_ACCESS},
};
constexpr EnumWord<pb::DynamoProjectionType> kJsonProjections[] = {
    {"ALL", pb::DYNAMO_PROJECTION_TYPE_ALL},
    {"KEYS_ONLY", pb::DYNAMO_PROJECTION_TYPE_KEYS_ONLY},
    {"INCLUDE", pb::DYNAMO_PROJECTION_TYPE_INCLUDE},
};

const KeyList kJsonTableKeys = {
    "AttributeDefinitions", "TableName", "KeySchema", "LocalSecondaryIndexes",
    "GlobalSecondaryIndexes", "BillingMode", "ProvisionedThroughput", "StreamSpecification",
    "Tags", "TableClass", "DeletionProtectionEnabled", "TimeToLiveSpecification"};
// CreateTable fields strata does not model: rejected rather than silently dropped.
const KeyList kJsonUnmanagedKeys = {"SSESpecification", "OnDemandThroughput", "WarmThroughput",
                                    "ResourcePolicy"};
const KeyList kJsonGlobalIndexKeys = {"IndexName", "KeySchema", "Projection",
                                      "ProvisionedThroughput"};
const KeyList kJsonLocalIndexKeys = {"IndexName", "KeySchema", "Projection"};
const KeyList kJsonAttributeKeys = {"AttributeName", "AttributeType"};
const KeyList kJsonKeyElementKeys = {"AttributeName", "KeyType"};
const KeyList kJsonThroughputKeys = {"ReadCapacityUnits", "WriteCapacityUnits"};
const KeyList kJsonProjectionKeys = {"ProjectionType", "NonKeyAttributes"};
const KeyList kJsonStreamKeys = {"StreamEnabled", "StreamViewType"};
const KeyList kJsonTagKeys = {"Key", "Value"};
const KeyList kJsonTtlKeys = {"AttributeName", "Enabled"};

// A value inside the document and where it is.
struct JsonAt {
  const json* value;
  Pointer pointer;

  bool Has(std::string_view key) const {
    return value->is_object() && value->contains(key);
  }
  JsonAt operator[](std::string_view key) const {
    return {&value->at(std::string(key)), pointer / std::string(key)};
  }
  JsonAt operator[](size_t i) const { return {&value->at(i), pointer / i}; }
};

class JsonReader {
 public:
  JsonReader(const JsonDocument& doc, const Pointer& where)
      : doc_(doc), root_{&doc.root().at(where), where} {}

  Result<pb::DynamoTable> Read();

 private:
  struct Definition {
    pb::DynamoAttributeType type = pb::DYNAMO_ATTRIBUTE_TYPE_UNSPECIFIED;
    Pointer pointer;
    bool used = false;
  };

  Status Error(const JsonAt& at, std::string_view message) const {
    return doc_.ErrorAt(at.pointer, message);
  }
  Status Object(const JsonAt& at, std::string_view context, const KeyList& allowed) const;
  Status Array(const JsonAt& at, std::string_view what) const;
  Result<std::string> String(const JsonAt& at, std::string_view what) const;
  Result<bool> Bool(const JsonAt& at, std::string_view what) const;
  template <typename E, size_t N>
  Status Enum(const JsonAt& at, std::string_view what, const EnumWord<E> (&words)[N],
              E* out) const;
  Status Required(const JsonAt& parent, std::string_view key, std::string_view context) const;

  Status Definitions();
  Status KeyElement(const JsonAt& at, std::string_view context, std::string* name,
                    std::string* key_type);
  Status KeySchema(const JsonAt& at, std::string_view context, pb::DynamoKeySchema* out,
                   int* sort_key_line);
  Status Throughput(const JsonAt& at, std::string_view context, pb::DynamoThroughput* out) const;
  Status Projection(const JsonAt& parent, std::string_view context, pb::DynamoProjection* out,
                    int* line) const;
  Status Billing();
  Status GlobalIndex(const JsonAt& at);
  Status LocalIndex(const JsonAt& at);
  template <typename Each>
  Status IndexList(std::string_view key, int* line, Each each);
  Status Stream();
  Status Settings();
  Status Tags(const JsonAt& at);
  Status TimeToLive(const JsonAt& at);
  Status Unused() const;

  const JsonDocument& doc_;
  JsonAt root_;
  pb::DynamoTable table_;
  TablePlaces places_;
  std::map<std::string, Definition> definitions_;
};

std::string_view JsonKindName(const json& v) {
  switch (v.type()) {
    case json::value_t::object: return "an object";
    case json::value_t::array: return "a list";
    case json::value_t::string: return "a string";
    case json::value_t::boolean: return "true/false";
    case json::value_t::null: return "null";
    default: return "a number";
  }
}

Status JsonReader::Object(const JsonAt& at, std::string_view context,
                          const KeyList& allowed) const {
  if (!at.value->is_object()) {
    return Error(at, fmt::format("{} must be an object, not {}", context,
                                 JsonKindName(*at.value)));
  }
  for (const auto& member : at.value->items()) {
    const std::string& key = member.key();
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    return Error(at[key], UnknownKeyMessage(key, context, allowed));
  }
  return Status::Ok();
}

Status JsonReader::Array(const JsonAt& at, std::string_view what) const {
  if (at.value->is_array()) return Status::Ok();
  return Error(at, fmt::format("{} must be a list, not {}", what, JsonKindName(*at.value)));
}

Result<std::string> JsonReader::String(const JsonAt& at, std::string_view what) const {
  if (at.value->is_string()) return at.value->get<std::string>();
  return Error(at, fmt::format("{} must be a string, not {}", what, JsonKindName(*at.value)));
}

Result<bool> JsonReader::Bool(const JsonAt& at, std::string_view what) const {
  if (at.value->is_boolean()) return at.value->get<bool>();
  return Error(at, fmt::format("{} must be true or false, not {}", what,
                               JsonKindName(*at.value)));
}

template <typename E, size_t N>
Status JsonReader::Enum(const JsonAt& at, std::string_view what, const EnumWord<E> (&words)[N],
                        E* out) const {
  STRATA_ASSIGN_OR_RETURN(std::string word, String(at, what));
  if (LookUp(words, word, /*any_case=*/false, out)) return Status::Ok();
  return Error(at, UnknownValueMessage(what, word, WordsOf(words)));
}

Status JsonReader::Required(const JsonAt& parent, std::string_view key,
                            std::string_view context) const {
  if (parent.Has(key)) return Status::Ok();
  return Error(parent, fmt::format("{} is missing {}", context, key));
}

Status JsonReader::Definitions() {
  if (!root_.Has("AttributeDefinitions")) return Status::Ok();
  JsonAt list = root_["AttributeDefinitions"];
  STRATA_RETURN_IF_ERROR(Array(list, "AttributeDefinitions"));
  for (size_t i = 0; i < list.value->size(); ++i) {
    JsonAt def = list[i];
    STRATA_RETURN_IF_ERROR(Object(def, "AttributeDefinitions", kJsonAttributeKeys));
    STRATA_RETURN_IF_ERROR(Required(def, "AttributeName", "attribute definition"));
    STRATA_RETURN_IF_ERROR(Required(def, "AttributeType", "attribute definition"));
    STRATA_ASSIGN_OR_RETURN(std::string name, String(def["AttributeName"], "AttributeName"));
    STRATA_ASSIGN_OR_RETURN(std::string type_word, String(def["AttributeType"], "AttributeType"));
    pb::DynamoAttributeType type = pb::DYNAMO_ATTRIBUTE_TYPE_UNSPECIFIED;
    if (!LookUp(kAttributeTypes, type_word, /*any_case=*/false, &type)) {
      return Error(def["AttributeType"], BadTypeMessage(type_word));
    }
    if (std::string problem = AttributeNameProblem(name); !problem.empty()) {
      return Error(def["AttributeName"], problem);
    }
    auto [it, fresh] = definitions_.emplace(name, Definition{type, def.pointer});
    if (!fresh) {
      return Error(def, fmt::format("attribute \"{}\" is defined twice (first at line {})", name,
                                    doc_.LineOf(it->second.pointer)));
    }
  }
  return Status::Ok();
}

Status JsonReader::KeyElement(const JsonAt& at, std::string_view context, std::string* name,
                              std::string* key_type) {
  STRATA_RETURN_IF_ERROR(Object(at, fmt::format("{} KeySchema", context), kJsonKeyElementKeys));
  STRATA_RETURN_IF_ERROR(Required(at, "AttributeName", "KeySchema element"));
  STRATA_RETURN_IF_ERROR(Required(at, "KeyType", "KeySchema element"));
  STRATA_ASSIGN_OR_RETURN(*name, String(at["AttributeName"], "AttributeName"));
  STRATA_ASSIGN_OR_RETURN(*key_type, String(at["KeyType"], "KeyType"));
  if (*key_type != "HASH" && *key_type != "RANGE") {
    return Error(at["KeyType"], UnknownValueMessage("KeyType", *key_type, {"HASH", "RANGE"}));
  }
  auto def = definitions_.find(*name);
  if (def == definitions_.end()) {
    return Error(at["AttributeName"],
                 fmt::format("key attribute \"{}\" has no type; add {{\"AttributeName\": \"{}\", "
                             "\"AttributeType\": \"S\"}} (or N, B) to AttributeDefinitions",
                             *name, *name));
  }
  def->second.used = true;
  return Status::Ok();
}

// [{HASH}] or [{HASH}, {RANGE}], in that order, as DynamoDB requires.
Status JsonReader::KeySchema(const JsonAt& at, std::string_view context,
                             pb::DynamoKeySchema* out, int* sort_key_line) {
  STRATA_RETURN_IF_ERROR(Array(at, fmt::format("{} KeySchema", context)));
  const size_t n = at.value->size();
  if (n < 1 || n > 2) {
    return Error(at, fmt::format("{} KeySchema must hold a HASH element and optionally a RANGE "
                                 "element; it has {}",
                                 context, n));
  }
  for (size_t i = 0; i < n; ++i) {
    std::string name, key_type;
    STRATA_RETURN_IF_ERROR(KeyElement(at[i], context, &name, &key_type));
    const char* expected = i == 0 ? "HASH" : "RANGE";
    if (key_type != expected) {
      return Error(at[i]["KeyType"], fmt::format("{} KeySchema element {} must be {}, not {}",
                                                 context, i + 1, expected, key_type));
    }
    if (i == 0) out->set_partition_key(name);
    if (i == 1) {
      out->set_sort_key(name);
      *sort_key_line = doc_.LineOf(at[i].pointer);
    }
  }
  return Status::Ok();
}

// Zero units are what DescribeTable reports for on-demand tables: accepted, as "no capacity",
// unless the table is PROVISIONED.
Status JsonReader::Throughput(const JsonAt& at, std::string_view context,
                              pb::DynamoThroughput* out) const {
  STRATA_RETURN_IF_ERROR(Object(at, fmt::format("{} ProvisionedThroughput", context),
                                kJsonThroughputKeys));
  const bool provisioned = table_.billing_mode() == pb::DYNAMO_BILLING_MODE_PROVISIONED;
  for (std::string_view key : kJsonThroughputKeys) {
    STRATA_RETURN_IF_ERROR(Required(at, key, "ProvisionedThroughput"));
    const json& v = *at[key].value;
    if (!v.is_number_integer() || v.get<int64_t>() < (provisioned ? 1 : 0)) {
      return Error(at[key], fmt::format("{} must be a whole number of at least 1", key));
    }
    if (key == "ReadCapacityUnits") out->set_read_capacity_units(v.get<int64_t>());
    if (key == "WriteCapacityUnits") out->set_write_capacity_units(v.get<int64_t>());
  }
  return Status::Ok();
}

// The on-demand zero capacity read by Throughput becomes no capacity at all.
void ClearZeroThroughput(pb::DynamoTable* table) {
  auto zero = [](const pb::DynamoThroughput& t) {
    return t.read_capacity_units() == 0 && t.write_capacity_units() == 0;
  };
  if (table->has_throughput() && zero(table->throughput())) table->clear_throughput();
  for (auto& g : *table->mutable_global_indexes()) {
    if (g.has_throughput() && zero(g.throughput())) g.clear_throughput();
  }
}

// Absent: ALL. NonKeyAttributes only with INCLUDE, as DynamoDB requires.
Status JsonReader::Projection(const JsonAt& parent, std::string_view context,
                              pb::DynamoProjection* out, int* line) const {
  out->set_type(pb::DYNAMO_PROJECTION_TYPE_ALL);
  if (!parent.Has("Projection")) return Status::Ok();
  JsonAt at = parent["Projection"];
  *line = doc_.LineOf(at.pointer);
  STRATA_RETURN_IF_ERROR(Object(at, fmt::format("{} Projection", context), kJsonProjectionKeys));
  pb::DynamoProjectionType type = pb::DYNAMO_PROJECTION_TYPE_ALL;
  if (at.Has("ProjectionType")) {
    STRATA_RETURN_IF_ERROR(Enum(at["ProjectionType"], "ProjectionType", kJsonProjections, &type));
  }
  out->set_type(type);
  if (!at.Has("NonKeyAttributes")) return Status::Ok();
  JsonAt list = at["NonKeyAttributes"];
  if (type != pb::DYNAMO_PROJECTION_TYPE_INCLUDE) {
    return Error(list, "NonKeyAttributes is only allowed with ProjectionType INCLUDE");
  }
  STRATA_RETURN_IF_ERROR(Array(list, "NonKeyAttributes"));
  for (size_t i = 0; i < list.value->size(); ++i) {
    STRATA_ASSIGN_OR_RETURN(std::string name, String(list[i], "NonKeyAttributes element"));
    out->add_non_key_attributes(name);
  }
  return Status::Ok();
}

// BillingMode defaults to PAY_PER_REQUEST, or, as in DynamoDB, to PROVISIONED when
// ProvisionedThroughput is given.
Status JsonReader::Billing() {
  const bool has_throughput = root_.Has("ProvisionedThroughput");
  pb::DynamoBillingMode mode = has_throughput ? pb::DYNAMO_BILLING_MODE_PROVISIONED
                                              : pb::DYNAMO_BILLING_MODE_PAY_PER_REQUEST;
  if (root_.Has("BillingMode")) {
    places_.billing_line = doc_.LineOf(root_["BillingMode"].pointer);
    STRATA_RETURN_IF_ERROR(Enum(root_["BillingMode"], "BillingMode", kJsonBilling, &mode));
  }
  table_.set_billing_mode(mode);
  if (!has_throughput) return Status::Ok();
  JsonAt at = root_["ProvisionedThroughput"];
  places_.throughput_line = doc_.LineOf(at.pointer);
  return Throughput(at, "table", table_.mutable_throughput());
}

Status JsonReader::GlobalIndex(const JsonAt& at) {
  STRATA_RETURN_IF_ERROR(Object(at, "global index", kJsonGlobalIndexKeys));
  auto* index = table_.add_global_indexes();
  IndexPlace& place = places_.global_indexes.emplace_back();
  place.name_line = doc_.LineOf(at.pointer);
  STRATA_RETURN_IF_ERROR(Required(at, "IndexName", "global index"));
  place.name_line = doc_.LineOf(at["IndexName"].pointer);
  STRATA_ASSIGN_OR_RETURN(*index->mutable_name(), String(at["IndexName"], "IndexName"));
  const std::string what = fmt::format("global index \"{}\"", index->name());
  STRATA_RETURN_IF_ERROR(Required(at, "KeySchema", what));
  STRATA_RETURN_IF_ERROR(KeySchema(at["KeySchema"], what, index->mutable_key(),
                                   &place.sort_key_line));
  STRATA_RETURN_IF_ERROR(Projection(at, what, index->mutable_projection(),
                                    &place.projection_line));
  if (at.Has("ProvisionedThroughput")) {
    place.throughput_line = doc_.LineOf(at["ProvisionedThroughput"].pointer);
    STRATA_RETURN_IF_ERROR(Throughput(at["ProvisionedThroughput"], what,
                                      index->mutable_throughput()));
  }
  return Status::Ok();
}

Status JsonReader::LocalIndex(const JsonAt& at) {
  STRATA_RETURN_IF_ERROR(Object(at, "local index", kJsonLocalIndexKeys));
  auto* index = table_.add_local_indexes();
  IndexPlace& place = places_.local_indexes.emplace_back();
  place.name_line = doc_.LineOf(at.pointer);
  STRATA_RETURN_IF_ERROR(Required(at, "IndexName", "local index"));
  place.name_line = doc_.LineOf(at["IndexName"].pointer);
  STRATA_ASSIGN_OR_RETURN(*index->mutable_name(), String(at["IndexName"], "IndexName"));
  const std::string what = fmt::format("local index \"{}\"", index->name());
  STRATA_RETURN_IF_ERROR(Required(at, "KeySchema", what));
  pb::DynamoKeySchema key;
  STRATA_RETURN_IF_ERROR(KeySchema(at["KeySchema"], what, &key, &place.sort_key_line));
  if (key.partition_key() != table_.key().partition_key()) {
    return Error(at["KeySchema"][0],
                 fmt::format("{}: its HASH key must be the table's partition key \"{}\", not "
                             "\"{}\"; use a global index for another partition key",
                             what, table_.key().partition_key(), key.partition_key()));
  }
  if (key.sort_key().empty()) {
    return Error(at["KeySchema"], fmt::format("{} KeySchema needs a RANGE element", what));
  }
  index->set_sort_key(key.sort_key());
  return Projection(at, what, index->mutable_projection(), &place.projection_line);
}

template <typename Each>
Status JsonReader::IndexList(std::string_view key, int* line, Each each) {
  if (!root_.Has(key)) return Status::Ok();
  JsonAt list = root_[key];
  *line = doc_.LineOf(list.pointer);
  STRATA_RETURN_IF_ERROR(Array(list, key));
  for (size_t i = 0; i < list.value->size(); ++i) {
    STRATA_RETURN_IF_ERROR((this->*each)(list[i]));
  }
  return Status::Ok();
}

Status JsonReader::Stream() {
  table_.set_stream(pb::DYNAMO_STREAM_DISABLED);
  if (!root_.Has("StreamSpecification")) return Status::Ok();
  JsonAt at = root_["StreamSpecification"];
  STRATA_RETURN_IF_ERROR(Object(at, "StreamSpecification", kJsonStreamKeys));
  if (!at.Has("StreamEnabled")) {
    return Error(at, "StreamSpecification needs StreamEnabled (true or false)");
  }
  STRATA_ASSIGN_OR_RETURN(bool enabled, Bool(at["StreamEnabled"], "StreamEnabled"));
  const bool has_view = at.Has("StreamViewType");
  if (!enabled && has_view) {
    return Error(at["StreamViewType"], "StreamViewType is set but StreamEnabled is false; "
                                       "remove StreamViewType or enable the stream");
  }
  if (!enabled) return Status::Ok();
  if (!has_view) {
    return Error(at, fmt::format("StreamEnabled is true but StreamViewType is missing; use {}",
                                 JoinOr(WordsOf(kJsonStreams))));
  }
  pb::DynamoStreamViewType view = pb::DYNAMO_STREAM_DISABLED;
  STRATA_RETURN_IF_ERROR(Enum(at["StreamViewType"], "StreamViewType", kJsonStreams, &view));
  table_.set_stream(view);
  return Status::Ok();
}

Status JsonReader::Tags(const JsonAt& at) {
  STRATA_RETURN_IF_ERROR(Array(at, "Tags"));
  std::map<std::string, int> seen;  // key -> line
  for (size_t i = 0; i < at.value->size(); ++i) {
    JsonAt tag = at[i];
    STRATA_RETURN_IF_ERROR(Object(tag, "Tags", kJsonTagKeys));
    STRATA_RETURN_IF_ERROR(Required(tag, "Key", "tag"));
    STRATA_RETURN_IF_ERROR(Required(tag, "Value", "tag"));
    STRATA_ASSIGN_OR_RETURN(std::string key, String(tag["Key"], "Key"));
    STRATA_ASSIGN_OR_RETURN(std::string value, String(tag["Value"], "Value"));
    if (std::string problem = TagKeyProblem(key); !problem.empty()) {
      return Error(tag["Key"], problem);
    }
    auto [it, fresh] = seen.emplace(key, doc_.LineOf(tag.pointer));
    if (!fresh) {
      return Error(tag["Key"], fmt::format("duplicate tag key \"{}\" (first at line {})", key,
                                           it->second));
    }
    (*table_.mutable_tags())[key] = value;
  }
  return Status::Ok();
}

// strata's extension: UpdateTimeToLive's TimeToLiveSpecification, since CreateTable has none.
Status JsonReader::TimeToLive(const JsonAt& at) {
  STRATA_RETURN_IF_ERROR(Object(at, "TimeToLiveSpecification", kJsonTtlKeys));
  STRATA_RETURN_IF_ERROR(Required(at, "Enabled", "TimeToLiveSpecification"));
  STRATA_ASSIGN_OR_RETURN(bool enabled, Bool(at["Enabled"], "Enabled"));
  if (!enabled) return Status::Ok();
  STRATA_RETURN_IF_ERROR(Required(at, "AttributeName", "TimeToLiveSpecification"));
  STRATA_ASSIGN_OR_RETURN(*table_.mutable_ttl_attribute(),
                          String(at["AttributeName"], "AttributeName"));
  if (table_.ttl_attribute().empty()) {
    return Error(at["AttributeName"], "TimeToLiveSpecification AttributeName is empty");
  }
  return Status::Ok();
}

Status JsonReader::Settings() {
  STRATA_RETURN_IF_ERROR(Stream());
  table_.set_table_class(pb::DYNAMO_TABLE_CLASS_STANDARD);
  if (root_.Has("TableClass")) {
    pb::DynamoTableClass table_class = pb::DYNAMO_TABLE_CLASS_STANDARD;
    STRATA_RETURN_IF_ERROR(Enum(root_["TableClass"], "TableClass", kJsonTableClasses,
                                &table_class));
    table_.set_table_class(table_class);
  }
  if (root_.Has("DeletionProtectionEnabled")) {
    STRATA_ASSIGN_OR_RETURN(bool on, Bool(root_["DeletionProtectionEnabled"],
                                          "DeletionProtectionEnabled"));
    table_.set_deletion_protection(on);
  }
  if (root_.Has("Tags")) STRATA_RETURN_IF_ERROR(Tags(root_["Tags"]));
  if (root_.Has("TimeToLiveSpecification")) {
    STRATA_RETURN_IF_ERROR(TimeToLive(root_["TimeToLiveSpecification"]));
  }
  return Status::Ok();
}

// DynamoDB rejects definitions no key uses; so does strata, rather than dropping them.
Status JsonReader::Unused() const {
  for (const auto& [name, def] : definitions_) {
    if (def.used) continue;
    return doc_.ErrorAt(def.pointer,
                        fmt::format("attribute \"{}\" is defined but no key uses it; DynamoDB "
                                    "rejects unused AttributeDefinitions, so remove it",
                                    name));
  }
  return Status::Ok();
}

Result<pb::DynamoTable> JsonReader::Read() {
  places_.root_line = doc_.LineOf(root_.pointer);
  for (std::string_view key : kJsonUnmanagedKeys) {
    if (!root_.Has(key)) continue;
    return Error(root_[key], fmt::format("{} is a CreateTable field strata does not manage; "
                                         "remove it from the file",
                                         key));
  }
  STRATA_RETURN_IF_ERROR(Object(root_, "CreateTable input", kJsonTableKeys));
  STRATA_RETURN_IF_ERROR(Required(root_, "TableName", "CreateTable input"));
  places_.name_line = doc_.LineOf(root_["TableName"].pointer);
  STRATA_ASSIGN_OR_RETURN(*table_.mutable_name(), String(root_["TableName"], "TableName"));
  STRATA_RETURN_IF_ERROR(Definitions());
  STRATA_RETURN_IF_ERROR(Required(root_, "KeySchema", "CreateTable input"));
  STRATA_RETURN_IF_ERROR(KeySchema(root_["KeySchema"], "table", table_.mutable_key(),
                                   &places_.sort_key_line));
  STRATA_RETURN_IF_ERROR(Billing());
  STRATA_RETURN_IF_ERROR(IndexList("GlobalSecondaryIndexes", &places_.global_indexes_line,
                                   &JsonReader::GlobalIndex));
  STRATA_RETURN_IF_ERROR(IndexList("LocalSecondaryIndexes", &places_.local_indexes_line,
                                   &JsonReader::LocalIndex));
  STRATA_RETURN_IF_ERROR(Settings());
  STRATA_RETURN_IF_ERROR(Unused());
  ClearZeroThroughput(&table_);
  STRATA_RETURN_IF_ERROR(TableRules(table_, places_, kJsonWords, doc_.file_name()).Check());
  for (const auto& [name, def] : definitions_) {
    auto* attr = table_.add_attributes();
    attr->set_name(name);
    attr->set_type(def.type);
  }
  CanonicalizeDynamoTable(&table_);
  return std::move(table_);
}

}  // namespace

Result<TableFileFormat> TableFileFormatOf(std::string_view file_name) {
  const std::string lower = Lower(file_name);
  auto ends_with = [&lower](std::string_view suffix) {
    return lower.size() >= suffix.size() &&
           lower.compare(lower.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (ends_with(".yaml") || ends_with(".yml")) return TableFileFormat::kYaml;
  if (ends_with(".json")) return TableFileFormat::kJson;
  return Status::InvalidArgument(fmt::format(
      "{}: not a table file; name it .yaml or .yml (friendly form) or .json (CreateTable input)",
      file_name));
}

Result<pb::DynamoTable> ParseTableFile(std::string_view text, std::string_view file_name) {
  STRATA_ASSIGN_OR_RETURN(TableFileFormat format, TableFileFormatOf(file_name));
  if (format == TableFileFormat::kYaml) return ParseTableYaml(text, file_name);
  return ParseCreateTableJson(text, file_name);
}

Result<pb::DynamoTable> ParseTableYaml(std::string_view text, std::string_view file_name) {
  try {
    std::vector<YAML::Node> documents = YAML::LoadAll(std::string(text));
    if (documents.size() > 1) {
      return ErrorAt(file_name, LineOf(documents[1]),
                     "a second YAML document; a table file holds one table");
    }
    return YamlReader(file_name).Read(documents.empty() ? YAML::Node() : documents[0]);
  } catch (const YAML::Exception& e) {
    return YamlSyntaxError(file_name, e);
  }
}

Result<pb::DynamoTable> ParseCreateTableJson(std::string_view text, std::string_view file_name) {
  STRATA_ASSIGN_OR_RETURN(JsonDocument doc, JsonDocument::Parse(text, std::string(file_name)));
  return ParseCreateTableAt(doc, Pointer());
}

Result<pb::DynamoTable> ParseCreateTableAt(const JsonDocument& doc, const Pointer& where) {
  try {
    return JsonReader(doc, where).Read();
  } catch (const json::exception& e) {
    return doc.ErrorAt(where, fmt::format("unexpected JSON shape: {}", e.what()));
  }
}

}  // namespace strata::dynamodb
