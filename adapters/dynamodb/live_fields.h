// Which fields of a live table strata manages: the one list that says so.
//
// Every field DescribeTable returns for a table or one of its indexes is either a setting
// strata manages (it is in the model and in table files), state the service reports (status,
// sizes, ARNs), or something else: a setting strata does not manage. A setting of the last
// kind would be lost by a table file made from the live table, so introspection names each one
// (UnmanagedFields) and import, export, plan and drift warn about them. Supporting a new
// setting means modelling it and moving its field name to kManaged here. Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace strata::dynamodb {

enum class FieldRole {
  kManaged,  // a setting in strata's model: read, planned, written to table files
  kState,    // what the service reports about the table, not a setting
};

struct KnownField {
  std::string_view name;
  FieldRole role;
};

// DescribeTable's Table object, and its global and local index entries.
extern const std::vector<KnownField> kTableFields;
extern const std::vector<KnownField> kGlobalIndexFields;
extern const std::vector<KnownField> kLocalIndexFields;

// The settings in a DescribeTable "Table" object that strata does not manage, as
// "SSEDescription" or "global index by_email: OnDemandThroughput", table fields first, each
// group sorted by name.
// A field that is empty, or at the value the service gives every table that never set it
// (WarmThroughput no higher than a new table's), is not a setting anyone made, and is left out.
std::vector<std::string> UnmanagedFields(const nlohmann::json& table);

}  // namespace strata::dynamodb
