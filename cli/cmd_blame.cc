// strata blame OBJECT[.PART]: for each part of an object, the commit that last changed it.
//
// The object's history is replayed commit by commit (only the commits that touched it); after
// each, the object is flattened into path -> value pairs and changed paths take that commit.
#include <fmt/format.h>
#include <google/protobuf/text_format.h>

#include <map>
#include <ostream>
#include <set>

#include "cli/commands.h"
#include "cli/objects_view.h"
#include "engine/state/apply.h"
#include "engine/state/objects.h"

namespace strata::cli {
namespace po = boost::program_options;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

namespace {

using Flat = std::map<std::string, std::string>;

// The part all of an enum's named values share ("DYNAMO_STREAM_"), which readers do not need.
std::string EnumPrefix(const google::protobuf::EnumDescriptor* e) {
  std::string prefix;
  bool first = true;
  for (int i = 0; i < e->value_count(); ++i) {
    const std::string& name = e->value(i)->name();
    if (e->value(i)->number() == 0) continue;  // UNSPECIFIED never appears in a state
    if (first) {
      prefix = name;
      first = false;
      continue;
    }
    size_t n = 0;
    while (n < prefix.size() && n < name.size() && prefix[n] == name[n]) ++n;
    prefix.resize(n);
  }
  return prefix.substr(0, prefix.rfind('_') + 1);
}

std::string ScalarText(const Message& m, const FieldDescriptor* f, int index) {
  if (f->type() == FieldDescriptor::TYPE_STRING) {
    // The text as it is: TextFormat would quote it and escape quotes, backslashes and
    // non-ASCII bytes for its own syntax ("\'now\'::text"), which readers then have to undo.
    const auto* r = m.GetReflection();
    return index < 0 ? r->GetString(m, f) : r->GetRepeatedString(m, f, index);
  }
  std::string s;
  google::protobuf::TextFormat::PrintFieldValueToString(m, f, index, &s);
  if (f->cpp_type() == FieldDescriptor::CPPTYPE_ENUM) {
    const std::string prefix = EnumPrefix(f->enum_type());
    if (s.rfind(prefix, 0) == 0 && s.size() > prefix.size()) s = s.substr(prefix.size());
  }
  return s;
}

void Flatten(const Message& m, const std::string& prefix, Flat* out, bool defaults);

void FlattenRepeated(const Message& m, const FieldDescriptor* f, const std::string& path, Flat* out,
                     bool defaults) {
  const auto* r = m.GetReflection();
  const int n = r->FieldSize(m, f);
  if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) {
    std::string joined;
    for (int i = 0; i < n; ++i) joined += (i ? ", " : "") + ScalarText(m, f, i);
    (*out)[path] = "[" + joined + "]";
    return;
  }
  for (int i = 0; i < n; ++i) {
    const Message& item = r->GetRepeatedMessage(m, f, i);
    const auto* d = item.GetDescriptor();
    std::string key;
    if (f->is_map()) {
      key = item.GetReflection()->GetString(item, d->FindFieldByNumber(1));
      const FieldDescriptor* value = d->FindFieldByNumber(2);
      if (value->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) {
        (*out)[path + "[" + key + "]"] = ScalarText(item, value, -1);
        continue;
      }
      Flatten(item.GetReflection()->GetMessage(item, value), path + "[" + key + "].", out, defaults);
      continue;
    }
    const FieldDescriptor* name = d->FindFieldByName("name");
    key = name != nullptr && name->type() == FieldDescriptor::TYPE_STRING
              ? item.GetReflection()->GetString(item, name)
              : std::to_string(i);
    Flatten(item, path + "[" + key + "].", out, defaults);
  }
}

// With `defaults`, singular scalar fields left at their default (false, 0, "", the first enum
// value) are listed too: a setting turned off has its default, and blame must see that change.
void Flatten(const Message& m, const std::string& prefix, Flat* out, bool defaults) {
  std::vector<const FieldDescriptor*> fields;
  m.GetReflection()->ListFields(m, &fields);
  if (defaults) {
    const auto* d = m.GetDescriptor();
    for (int i = 0; i < d->field_count(); ++i) {
      const FieldDescriptor* f = d->field(i);
      if (f->is_repeated() || f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE ||
          f->real_containing_oneof() != nullptr || m.GetReflection()->HasField(m, f)) {
        continue;
      }
      (*out)[prefix + f->name()] = ScalarText(m, f, -1);
    }
  }
  for (const auto* f : fields) {
    const std::string path = prefix + f->name();
    if (f->is_repeated()) {
      FlattenRepeated(m, f, path, out, defaults);
    } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      Flatten(m.GetReflection()->GetMessage(m, f), path + ".", out, defaults);
    } else {
      (*out)[path] = ScalarText(m, f, -1);
    }
  }
}

// Keeps the paths inside the object and strips everything up to it. With `defaults`, fields at
// their default are listed too (Flatten).
Flat ObjectPaths(const pb::SchemaState& fragment, const std::string& object,
                 bool defaults = false) {
  Flat all, out;
  Flatten(fragment, "", &all, defaults);
  std::string last = object.substr(object.rfind('.') == std::string::npos ? 0 : object.rfind('.') + 1);
  for (const auto& [path, value] : all) {
    for (const std::string& key : {object, last}) {
      size_t at = path.find("[" + key + "].");
      if (at == std::string::npos) continue;
      std::string inner = path.substr(at + key.size() + 3);
      // "global_indexes[by_status].name" repeats what the brackets already say.
      const bool redundant_name = inner.size() > 6 && inner.compare(inner.size() - 6, 6, "].name") == 0;
      if (inner != "name" && !redundant_name) out[inner] = value;
      break;
    }
  }
  return out;
}

// A value on one line of the table (a view's definition spans several); JSON keeps it whole.
std::string OneLine(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return text;
}

// One way to read OBJECT[.PART]: the object's key, the part (empty for the whole object), and
// the names as a quoted form that reads back as exactly this.
struct Reading {
  std::string object;
  std::string part;
  std::string shown;
};

// Every way `ref` can be read. Quoted: the object is the first one or two names and the part
// the name after it. Unquoted: any '.' before a function's arguments may end the object.
std::vector<Reading> Readings(const ObjectRef& ref) {
  std::vector<Reading> out;
  if (ref.quoted) {
    const auto& ids = ref.identifiers;
    auto joined = [&](size_t n) {
      return fmt::format("{}", fmt::join(ids.begin(), ids.begin() + static_cast<long>(n), "."));
    };
    if (ids.size() <= 2) out.push_back({joined(ids.size()), "", ""});
    if (ids.size() >= 2) out.push_back({joined(ids.size() - 1), ids.back(), ""});
  } else {
    out.push_back({ref.name, "", ""});
    const size_t args = ref.name.find('(');
    for (size_t dot = ref.name.find('.'); dot < args && dot != std::string::npos;
         dot = ref.name.find('.', dot + 1)) {
      out.push_back({ref.name.substr(0, dot), ref.name.substr(dot + 1), ""});
    }
  }
  for (Reading& r : out) {
    // The key's first '.' ends its schema (PostgreSQL) or database (Glue); the last name is
    // quoted even when it need not be, so that the form reads back as quoted.
    const size_t dot = r.object.find('.');
    std::vector<std::string> ids = {r.object.substr(0, dot)};
    if (dot != std::string::npos) ids.push_back(r.object.substr(dot + 1));
    if (!r.part.empty()) ids.push_back(r.part);
    const std::string last = ids.back();
    ids.pop_back();
    r.shown = QuotedObjectName(ids);
    std::string quoted_last = "\"";
    for (char c : last) quoted_last += c == '"' ? std::string("\"\"") : std::string(1, c);
    r.shown += (r.shown.empty() ? "" : ".") + quoted_last + "\"";
  }
  return out;
}

// Whether `reading` names an object recorded at `at` and, with a part, a part of it.
Result<bool> Exists(History& history, const std::optional<std::string>& schema,
                   const Reading& reading, uint64_t at) {
  STRATA_ASSIGN_OR_RETURN(pb::State state, history.index().ObjectStateAt(at, reading.object));
  auto found = FindObject(state, ObjectRef{schema, reading.object, false, {}}, at);
  if (!found.ok()) return false;
  if (reading.part.empty()) return true;
  for (const auto& [path, value] : ObjectPaths(found->fragment, reading.object)) {
    if (path.find("[" + reading.part + "]") != std::string::npos) return true;
  }
  return false;
}

// The one reading of `ref` that names something at `at`. InvalidArgument listing the quoted
// forms when several do; the whole name when none does (FindObject then says it is missing).
Result<Reading> Resolve(History& history, const ObjectRef& ref, uint64_t at) {
  const std::vector<Reading> readings = Readings(ref);
  std::vector<Reading> named;
  for (const Reading& r : readings) {
    STRATA_ASSIGN_OR_RETURN(bool names, Exists(history, ref.schema, r, at));
    if (names) named.push_back(r);
  }
  if (named.size() == 1) return named.front();
  if (named.empty()) return readings.front();
  std::vector<std::string> forms;
  for (const Reading& r : named) forms.push_back(r.shown);
  return Status::InvalidArgument(fmt::format(
      "{} can name {} things as of seq {}: {}; write the one you mean with its quotes", ref.name,
      named.size(), at, fmt::join(forms, " or ")));
}

struct Blame {
  std::string value;
  uint64_t seq = 0;
};

}  // namespace

CommandResult RunBlame(Context& ctx) {
  const CommandFlags spec = BlameFlags();
  const po::options_description& o = spec.options;
  const po::positional_options_description& p = spec.positional;
  auto vm = ParseArgs(ctx, o, p);
  if (!vm.count("object")) throw UsageError{"blame needs an OBJECT"};

  STRATA_ASSIGN_OR_RETURN(auto history, OpenHistory(ctx));
  STRATA_ASSIGN_OR_RETURN(uint64_t at, history->Resolve(vm["at"].as<std::string>()));
  STRATA_ASSIGN_OR_RETURN(ObjectRef ref, ParseObjectRef(vm["object"].as<std::string>(),
                                                        /*allow_part=*/true));
  // orders.by_status, public.users.email, public.t."a.b": where the object ends.
  STRATA_ASSIGN_OR_RETURN(Reading reading, Resolve(*history, ref, at));
  ref.name = reading.object;
  const std::string part = reading.part;

  // A renamed object's lines go back to the commits made under its former names.
  STRATA_ASSIGN_OR_RETURN(auto former, history->index().FormerNames(ref.name, at));
  std::vector<std::string> objects = ObjectAndParents(ref.name);
  for (const auto& [name, renamed_at] : former) {
    for (auto& o : ObjectAndParents(name)) objects.push_back(std::move(o));
  }
  const std::set<std::string> wanted(objects.begin(), objects.end());
  std::set<uint64_t> seqs;
  for (const auto& obj : wanted) {
    STRATA_ASSIGN_OR_RETURN(auto s, history->index().SeqsTouching(obj, at));
    seqs.insert(s.begin(), s.end());
  }
  const std::string current_name = ref.name;
  auto name_at = [&](uint64_t seq) {
    std::string name = current_name;
    for (const auto& [old_name, renamed_at] : former) {
      if (seq < renamed_at) name = old_name;
    }
    return name;
  };
  pb::State state;
  std::map<std::string, Blame> blame;
  std::map<uint64_t, CommitSummary> commits;
  for (uint64_t seq : seqs) {
    STRATA_ASSIGN_OR_RETURN(auto summary, history->index().CommitAt(seq));
    STRATA_ASSIGN_OR_RETURN(StoredCommit c, history->reader().ReadAt(summary->position));
    commits[seq] = *summary;
    pb::SchemaState& schema = (*state.mutable_schemas())[c.commit.schema()];
    for (const auto& e : c.commit.events()) {
      auto touched = TouchedObjects(e, schema);
      if (std::none_of(touched.begin(), touched.end(), [&](auto& t) { return wanted.count(t); })) continue;
      STRATA_RETURN_IF_ERROR(Apply(e, &schema));
    }
    ObjectRef then = ref;
    then.name = name_at(seq);
    auto found = FindObject(state, then, seq);
    Flat now = found.ok() ? ObjectPaths(found->fragment, then.name) : Flat();
    // A setting back at its default (deletion protection or time to live turned off) is not
    // in `now`, but it changed: it keeps its line, with the default, blamed on this commit.
    const Flat with_defaults =
        found.ok() ? ObjectPaths(found->fragment, then.name, /*defaults=*/true) : Flat();
    for (auto it = blame.begin(); it != blame.end();) {
      auto kept = with_defaults.find(it->first);
      if (!now.count(it->first) && kept != with_defaults.end()) now.insert(*kept);
      it = now.count(it->first) ? std::next(it) : blame.erase(it);  // gone: forget
    }
    for (const auto& [path, value] : now) {
      auto& b = blame[path];
      if (b.seq == 0 || b.value != value) b = {value, seq};
    }
  }
  STRATA_ASSIGN_OR_RETURN(FoundObject found, FindObject(state, ref, at));
  nlohmann::ordered_json out = {{"version", 1}, {"object", ref.name}, {"schema", found.schema},
                        {"at", at}, {"lines", nlohmann::ordered_json::array()}};
  size_t width = 0;
  for (const auto& [path, b] : blame) width = std::max(width, path.size());
  for (const auto& [path, b] : blame) {
    if (!part.empty() && path.find("[" + part + "]") == std::string::npos) continue;
    const CommitSummary& c = commits[b.seq];
    if (ctx.json) {
      out["lines"].push_back({{"path", path}, {"value", b.value}, {"seq", b.seq},
                              {"time", FormatTime(c.time_unix_micros)},
                              {"actor", {{"name", c.actor_name}, {"email", c.actor_email}}},
                              {"message", c.message}});
      continue;
    }
    std::string value = b.value.empty() ? "(none)" : OneLine(b.value);
    if (value.size() > 30) {
      size_t cut = 27;
      while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;  // UTF-8
      value = value.substr(0, cut) + "...";
    }
    *ctx.out << fmt::format("{:<{}}  {:<30} ", path, width, value)
             << ctx.Paint(Color::kYellow, fmt::format("{:>4}", b.seq))
             << fmt::format("  {}  {}  {}\n", FormatTime(c.time_unix_micros).substr(0, 10),
                            c.actor_name, c.message);
  }
  if (ctx.json) ctx.PrintJson(out);
  return kExitOk;
}

CommandFlags BlameFlags() {
  CommandFlags f{po::options_description("blame options"), {}};
  po::options_description& o = f.options;
  o.add_options()("object", po::value<std::string>(), "OBJECT or OBJECT.PART")(
      "at", po::value<std::string>()->default_value("HEAD"), "the point in history");
  po::positional_options_description& p = f.positional;
  p.add("object", 1);
  return f;
}

}  // namespace strata::cli
