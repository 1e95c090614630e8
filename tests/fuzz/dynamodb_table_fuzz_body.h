// The check every fuzz input of the DynamoDB table file parsers goes through
// (dynamodb_table_fuzz.cc and the seed replay, fuzz_seeds_test.cc). The input is read both as a
// YAML table file and as CreateTable JSON. The contract (adapters/dynamodb/table_file.h,
// render.h):
//   - each parser gives a table or InvalidArgument "FILE:LINE: message" — never a crash or an
//     exception;
//   - what parses obeys both laws: ParseTableYaml(RenderTableYaml(t)) == t and
//     ParseCreateTableJson(RenderCreateTableText(t)) == t.
#pragma once

#include <google/protobuf/util/message_differencer.h>

#include <string>
#include <string_view>

#include "adapters/dynamodb/render.h"
#include "adapters/dynamodb/table_file.h"
#include "tests/fuzz/placed_error.h"

namespace strata::fuzz {

inline std::string RoundTripViolation(const pb::DynamoTable& table) {
  using google::protobuf::util::MessageDifferencer;
  const std::string yaml = dynamodb::RenderTableYaml(table);
  Result<pb::DynamoTable> from_yaml = dynamodb::ParseTableYaml(yaml, "rendered.yaml");
  if (!from_yaml.ok()) {
    return "the YAML rendering does not parse: " + from_yaml.status().message() + "\n" + yaml;
  }
  if (!MessageDifferencer::Equals(*from_yaml, table)) {
    return "ParseTableYaml(RenderTableYaml(t)) is not t:\n" + yaml;
  }
  const std::string json = dynamodb::RenderCreateTableText(table);
  Result<pb::DynamoTable> from_json = dynamodb::ParseCreateTableJson(json, "rendered.json");
  if (!from_json.ok()) {
    return "the JSON rendering does not parse: " + from_json.status().message() + "\n" + json;
  }
  if (!MessageDifferencer::Equals(*from_json, table)) {
    return "ParseCreateTableJson(RenderCreateTableText(t)) is not t:\n" + json;
  }
  return "";
}

inline std::string DynamoDbTableViolation(std::string_view input) {
  for (const auto& [file, parse] :
       {std::pair{std::string_view("fuzz.yaml"), &dynamodb::ParseTableYaml},
        std::pair{std::string_view("fuzz.json"), &dynamodb::ParseCreateTableJson}}) {
    Result<pb::DynamoTable> table = parse(input, file);
    std::string bad = table.ok() ? RoundTripViolation(*table)
                                 : PlacedErrorViolation(table.status(), file);
    if (!bad.empty()) return std::string(file) + ": " + bad;
  }
  return "";
}

}  // namespace strata::fuzz
