// Reaching a target from a command: --target T (a strata.yaml target, or the only one of the
// right engine, else the backend's environment: the AWS or libpq defaults), the schema source
// it deploys (--schema, or the only one of its engine), the setting flags each backend
// declares (--region, --profile, --endpoint-url, ...), and opening it through its backend.
//
// Precedence for each setting: the flag, then the target's setting in strata.yaml, then the
// environment, which the backend resolves. Also which of the objects a command works on
// (-t/--filter). Written once for every backend.
#pragma once

#include <boost/program_options.hpp>

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "adapters/backend/backend.h"
#include "cli/context.h"
#include "engine/state/object_filter.h"

namespace strata::cli {

struct TargetFlags {
  std::optional<std::string> target;
  std::optional<std::string> schema;
  std::map<std::string, std::string> flags;  // flag name -> value, of the backends' settings
  int concurrency = 16;  // --concurrency: requests in flight at once when reading objects
};

// --target, --schema, the backends' setting flags and --concurrency.
void AddTargetOptions(boost::program_options::options_description& o);
TargetFlags ReadTargetFlags(const boost::program_options::variables_map& vm);

// Which commands a backend serves.
enum class Needs {
  kDeclarative,  // plan, apply, push, list, import, export, drop: files hold the desired state
  kAny,          // drift
};

// A target and the schema source it deploys, opened.
struct Reach {
  const SchemaSource* source = nullptr;  // null when the command can go without one
  const backend::Backend* backend = nullptr;
  backend::TargetSpec spec;
  std::unique_ptr<backend::Target> target;
};

struct ReachOptions {
  Needs needs = Needs::kDeclarative;
  bool source_required = true;  // list: false (managed marks need no source)
};

// -t/--filter PATTERN, repeatable: the objects a command works on (engine/state/object_filter.h).
void AddFilterOptions(boost::program_options::options_description& o);
// The filter of -t/--filter and of `names` (objects named as arguments, which are patterns
// too). UsageError for an empty pattern.
ObjectFilter ReadFilter(const boost::program_options::variables_map& vm,
                        const std::vector<std::string>& names = {});

// "-t 'orders*' -t users": the patterns as they would be typed, for messages.
std::string FilterFlags(const std::vector<std::string>& patterns);

// The objects of `names` that `filter` selects, with the objects they live in; all of `names`
// when it has no patterns. InvalidArgument when a pattern matches none of them, naming the
// pattern, `where` the names are ("on target dev (...)", "of schema dynamodb") and what is
// there.
Result<std::set<std::string>> SelectNames(const ObjectFilter& filter,
                                          const std::vector<std::string>& names,
                                          const backend::Backend& backend,
                                          const std::string& where);

// The live objects of the target that `filter` selects: the names first (Target::Names), then
// only the selected objects are read in full. Without patterns, everything, read at once.
Result<std::unique_ptr<backend::Live>> ReadSelected(const Reach& reach, const ObjectFilter& filter);

// Picks, resolves and opens. InvalidArgument naming the target or schema and what to pass
// when the choice is ambiguous or unknown; the backend's errors opening it.
Result<Reach> OpenReach(const Context& ctx, const TargetFlags& flags, const ReachOptions& options);

// The objects strata manages for `source`: defined in its files or touched by any commit of
// it in the log. With `lenient`, a source whose files do not parse or a log that cannot be
// read only loses its own part (with a note).
Result<std::set<std::string>> ManagedObjects(const Context& ctx, const SchemaSource& source,
                                             bool lenient);

// The warnings of the live objects named in `names` (all of them when null), in name order:
// what each has that strata does not manage (backend::LiveObject::warnings).
std::vector<std::string> LiveWarnings(const backend::Live& live,
                                      const std::set<std::string>* names = nullptr);
// Each warning on stderr as "warning: ..." (text mode; --json carries them in "warnings").
void PrintWarnings(const Context& ctx, const std::vector<std::string>& warnings);

}  // namespace strata::cli
