// Reaching a DynamoDB target from the cli: `--target T` (a strata.yaml target with engine:
// dynamodb, or the only one there is), the --region/--profile/--endpoint-url flags and the AWS
// environment become an aws::Session and a DynamoDB JsonService; and the tables strata manages.
//
// Precedence for each setting: the flag, then the target's setting, then the AWS environment
// (AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL_DYNAMODB, ...), which the session resolves.
#pragma once

#include <boost/program_options.hpp>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "adapters/aws/json_service.h"
#include "adapters/aws/session.h"
#include "cli/context.h"

namespace strata::cli {

struct TargetFlags {
  std::optional<std::string> target, region, profile, endpoint;
  int concurrency = 16;  // --concurrency: DynamoDB calls in flight at once when reading tables
};

// --target, --region, --profile, --endpoint-url.
void AddTargetOptions(boost::program_options::options_description& o);
TargetFlags ReadTargetFlags(const boost::program_options::variables_map& vm);

struct DynamoTarget {
  std::string name;  // the strata.yaml target; empty when only the environment was used
  std::unique_ptr<aws::Session> session;
  std::unique_ptr<aws::JsonService> ddb;
  std::string endpoint;  // the DynamoDB endpoint URL requests go to
  int concurrency = 16;  // tables described at once
  // What deployment records and messages call the target: its name, else its endpoint.
  std::string Label() const { return name.empty() ? endpoint : name; }
};

// Opens the session and the DynamoDB client. InvalidArgument naming the target when it is
// unknown, not engine: dynamodb, has a setting strata does not know, or when no --target is
// given and strata.yaml has several dynamodb targets; the session's errors otherwise (bad
// profile, no region, ...). Makes no request.
Result<DynamoTarget> OpenDynamoTarget(const Context& ctx, const TargetFlags& flags);

// Waiting for DynamoDB: a monotonic clock in milliseconds, and how often to poll a table's
// status (1 s; STRATA_POLL_INTERVAL_MS, 10 ms to 60 s, lets tests on a local server go faster).
int64_t SteadyMillis();
int64_t PollIntervalMs(const Context& ctx);

// Sets ctx.actor.cloud_principal to the caller ARN from STS GetCallerIdentity. Does nothing
// when STS cannot be asked (a local endpoint, no network, no permission): it is a nicety.
void AddCallerToActor(Context& ctx, DynamoTarget& t);

// The tables strata manages: defined in the project's DynamoDB schema files, or present in
// any commit of that schema in the log. NotFound when the project has no dynamodb schema;
// the files' own parse errors (FILE:LINE); the log's errors.
Result<std::set<std::string>> ManagedDynamoTables(const Context& ctx);

// The halves of ManagedDynamoTables, for callers that carry on when the files do not parse.
// Tables defined in `schema`'s files (none when its directory does not exist).
Result<std::set<std::string>> DynamoTablesInFiles(const SchemaSource& schema);
// Tables named by any event of a commit of `schema` in the log.
Result<std::set<std::string>> DynamoTablesInLog(const Context& ctx, const std::string& schema);

}  // namespace strata::cli
